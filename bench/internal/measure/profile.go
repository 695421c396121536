package measure

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// Profiles starts the profiles a child server was asked for by file name
// (empty: not wanted): cpu while it serves, mutex contention and heap
// written at the end. The returned stop writes and closes them; call it
// when the server stops.
func Profiles(cpu, mutex, heap string) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return stop, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return stop, err
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if mutex != "" {
		runtime.SetMutexProfileFraction(1)
		stops = append(stops, func() { writeProfile(mutex, func(f *os.File) { pprof.Lookup("mutex").WriteTo(f, 0) }) })
	}
	if heap != "" {
		stops = append(stops, func() { writeProfile(heap, func(f *os.File) { pprof.WriteHeapProfile(f) }) })
	}
	return stop, nil
}

func writeProfile(path string, write func(*os.File)) {
	if f, err := os.Create(path); err == nil {
		write(f)
		f.Close()
	}
}
