// Command emu measures the IAM emulator against moto_server on the same
// aws-sdk-go-v2 workload, side by side: both servers run as processes of
// their own on loopback, the same closed-loop clients (the real awsiam
// client) drive one and then the other for the same time, and each server's
// CPU time is read from /proc, so the shared client does not hide the
// difference. The workload is one user's life per loop: CreateUser,
// GetUser, CreateLoginProfile, AttachUserPolicy, CreateVirtualMFADevice,
// EnableMFADevice, ListMFADevices, DeactivateMFADevice,
// DeleteVirtualMFADevice, DetachUserPolicy, DeleteLoginProfile, DeleteUser
// (12 calls). Run:
//
//	go run ./bench/emu -clients 8 -duration 10s -runs 3
//
// moto_server is started as "python3 -m moto.server -H 127.0.0.1 -p PORT"
// (-moto names another interpreter); without moto the emulator half runs
// alone and says so. Each line also gives the client's CPU per call (the
// harness process's own), the same client in front of either server: when
// it exceeds the emulator's, the client bounds the emulator's calls per
// second. -cpuprofile profiles the client; EMU_CPUPROFILE and
// EMU_MUTEXPROFILE name files for the emulator process's CPU and lock
// contention profiles.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/gatehouse/portal/bench/internal/measure"
)

func main() {
	if measure.IsChild() != "" {
		if err := serveEmulator(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.IntVar(&c.clients, "clients", 8, "concurrent clients")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "measuring time per server and run")
	flag.IntVar(&c.runs, "runs", 3, "repetitions (each measures both servers)")
	flag.StringVar(&c.python, "moto", "python3", "Python interpreter with moto installed; \"\" runs the emulator alone")
	cpuprofile := flag.String("cpuprofile", "", "write the harness's (the client's) CPU profile to this file; EMU_CPUPROFILE names the emulator's")
	flag.Parse()
	c.out = os.Stdout
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if _, err := run(context.Background(), c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

type config struct {
	clients  int
	duration time.Duration
	runs     int
	python   string // "" or not importing moto: emulator only
	out      io.Writer
}

// sample is one server measured once.
type sample struct {
	calls, errors int
	elapsed       time.Duration
	cpu           time.Duration // the server's
	clientCPU     time.Duration // the harness's own: the shared client
	load          float64
	firstErr      error
}

func (s sample) perSecond() float64 { return float64(s.calls) / s.elapsed.Seconds() }

// cpuPerCall is the server's CPU time per call in milliseconds.
func (s sample) cpuPerCall() float64 { return s.perCall(s.cpu) }

// clientCPUPerCall is the client's (the harness process's) CPU time per
// call in milliseconds: what the same client costs in front of each server.
func (s sample) clientCPUPerCall() float64 { return s.perCall(s.clientCPU) }

func (s sample) perCall(d time.Duration) float64 {
	if s.calls == 0 {
		return 0
	}
	return float64(d) / float64(time.Millisecond) / float64(s.calls)
}

func (s sample) String() string {
	return fmt.Sprintf("calls=%d errors=%d calls/s=%.0f server-cpu/call=%.3fms client-cpu/call=%.3fms load=%.1f",
		s.calls, s.errors, s.perSecond(), s.cpuPerCall(), s.clientCPUPerCall(), s.load)
}

// server is one measured server process.
type server struct {
	name             string
	pid              int
	url, key, secret string
	stop             func() error
}

// run measures the servers c.runs times and prints the spreads; it returns
// the samples by server name ("emulator", "moto").
func run(ctx context.Context, c config) (map[string][]sample, error) {
	var h emuHello
	child, err := measure.StartChild("emulator", nil, &h)
	if err != nil {
		return nil, err
	}
	servers := []server{{name: "emulator", pid: child.Pid, url: h.URL, key: h.Key, secret: h.Secret, stop: child.Stop}}
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	moto, err := startMoto(c.python)
	switch {
	case err == nil:
		servers = append(servers, moto)
	case errors.Is(err, errNoMoto):
		fmt.Fprintf(c.out, "moto: %v — the moto half is skipped; only the emulator is measured\n", err)
	default:
		return nil, err
	}
	fmt.Fprintf(c.out, "clients=%d duration=%s per server and run, runs=%d, workload of %d calls per user\n", c.clients, c.duration, c.runs, len(lifeCalls))
	samples := map[string][]sample{}
	for i := range c.runs {
		for _, s := range servers {
			sm, err := measureServer(ctx, s, c.clients, c.duration, fmt.Sprintf("r%d", i))
			if err != nil {
				return nil, err
			}
			samples[s.name] = append(samples[s.name], sm)
			fmt.Fprintf(c.out, "run %d %-8s %s\n", i+1, s.name, sm)
			if sm.firstErr != nil {
				fmt.Fprintf(c.out, "  first error: %v\n", sm.firstErr)
			}
		}
	}
	report(c.out, samples)
	return samples, nil
}

// report prints the spreads and, with moto measured, the ratios run by run.
func report(w io.Writer, samples map[string][]sample) {
	fmt.Fprintln(w, "\nserver | calls/s | server CPU/call ms | client CPU/call ms | errors | load average")
	for _, name := range []string{"emulator", "moto"} {
		var rps, cpu, ccpu, errs, ld []float64
		for _, s := range samples[name] {
			rps, cpu, ccpu = append(rps, s.perSecond()), append(cpu, s.cpuPerCall()), append(ccpu, s.clientCPUPerCall())
			errs, ld = append(errs, float64(s.errors)), append(ld, s.load)
		}
		if len(rps) == 0 {
			continue
		}
		sp := measure.SpreadOf
		fmt.Fprintf(w, "%s | %s | %s | %s | %s | %s\n", name, sp(rps).Format("%.0f"), sp(cpu).Format("%.3f"), sp(ccpu).Format("%.3f"),
			sp(errs).Format("%.0f"), sp(ld).Format("%.1f"))
	}
	emu, moto := samples["emulator"], samples["moto"]
	if len(moto) == 0 {
		return
	}
	var thr, cpu []float64
	for i := range min(len(emu), len(moto)) {
		thr = append(thr, emu[i].perSecond()/moto[i].perSecond())
		if emu[i].cpuPerCall() > 0 {
			cpu = append(cpu, moto[i].cpuPerCall()/emu[i].cpuPerCall())
		}
	}
	fmt.Fprintf(w, "emulator ÷ moto throughput: %s×; moto ÷ emulator CPU per call: %s×\n",
		measure.SpreadOf(thr).Format("%.1f"), measure.SpreadOf(cpu).Format("%.1f"))
}

var errNoMoto = errors.New("moto is not installed")

// startMoto starts moto_server on a free loopback port with its defaults
// (no authentication, account 123456789012) and waits until it answers.
func startMoto(python string) (server, error) {
	if python == "" {
		return server{}, fmt.Errorf("%w (-moto \"\")", errNoMoto)
	}
	// The interpreter itself, not a launcher script in front of it, so
	// the pid whose CPU is read is moto's.
	out, err := exec.Command(python, "-c", "import moto, sys; print(sys.executable)").Output()
	if err != nil {
		return server{}, fmt.Errorf("%w: %s -c 'import moto': %v", errNoMoto, python, err)
	}
	exe := strings.TrimSpace(string(out))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return server{}, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(exe, "-m", "moto.server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard // one access-log line per call
	if err := cmd.Start(); err != nil {
		return server{}, err
	}
	stop := func() error {
		cmd.Process.Kill()
		cmd.Wait()
		return nil
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Since(start) > 60*time.Second {
			stop()
			return server{}, fmt.Errorf("moto_server did not listen on %s within 60 s", addr)
		}
	}
	return server{name: "moto", pid: cmd.Process.Pid, url: "http://" + addr, key: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", stop: stop}, nil
}
