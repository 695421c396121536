package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/bench/internal/measure"
	"github.com/gatehouse/portal/iamemu"
)

// lifeCalls are the IAM calls of one loop of the workload, in order.
var lifeCalls = []string{"CreateUser", "GetUser", "CreateLoginProfile", "AttachUserPolicy", "CreateVirtualMFADevice", "EnableMFADevice",
	"ListMFADevices", "DeactivateMFADevice", "DeleteVirtualMFADevice", "DetachUserPolicy", "DeleteLoginProfile", "DeleteUser"}

const benchPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`

// emuHello is what the emulator process tells the harness once it serves.
type emuHello struct {
	URL    string `json:"url"`
	Key    string `json:"key"`
	Secret string `json:"secret"`
}

// serveEmulator is the emulator process: iamemu with its defaults on a
// loopback port (as "portal emulator" serves it), until the harness closes
// standard input.
func serveEmulator() error {
	emu := iamemu.New(iamemu.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	// EMU_CPUPROFILE names a file the emulator writes its CPU profile to
	// while it serves, EMU_MUTEXPROFILE one for its lock contention, for go
	// tool pprof.
	stop, err := measure.Profiles(os.Getenv("EMU_CPUPROFILE"), os.Getenv("EMU_MUTEXPROFILE"), "")
	defer stop()
	if err != nil {
		return err
	}
	key, secret := emu.RootCredentials()
	return measure.Hello(emuHello{URL: "http://" + ln.Addr().String(), Key: key, Secret: secret})
}

// measureServer runs clients loops of the workload against s for dur and
// reads s's CPU time around it. prefix keeps user names of different runs
// apart.
func measureServer(ctx context.Context, s server, clients int, dur time.Duration, prefix string) (sample, error) {
	iam, policyARN, err := benchClient(ctx, s, clients, prefix)
	if err != nil {
		return sample{}, err
	}
	var mu sync.Mutex
	var out sample
	var wg sync.WaitGroup
	cpu0, err := measure.CPU(s.pid)
	if err != nil {
		return sample{}, err
	}
	self0, err := measure.CPU(os.Getpid())
	if err != nil {
		return sample{}, err
	}
	start := time.Now()
	for w := range clients {
		wg.Go(func() {
			var calls, errs int
			var first error
			for i := 0; time.Since(start) < dur; i++ {
				n, err := life(ctx, iam, fmt.Sprintf("%s-c%d-u%d", prefix, w, i), policyARN)
				calls += n
				if err != nil {
					errs++
					if first == nil {
						first = err
					}
				}
			}
			mu.Lock()
			out.calls += calls
			out.errors += errs
			if out.firstErr == nil {
				out.firstErr = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	cpu1, err := measure.CPU(s.pid)
	if err != nil {
		return sample{}, err
	}
	self1, err := measure.CPU(os.Getpid())
	if err != nil {
		return sample{}, err
	}
	out.cpu, out.clientCPU = cpu1-cpu0, self1-self0
	out.load = measure.Load()
	return out, nil
}

// benchClient is the awsiam client the workload's loops share (one
// attempt, keep-alive connections for every client) and the managed policy
// it attaches.
func benchClient(ctx context.Context, s server, clients int, prefix string) (*awsiam.Client, string, error) {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	iam, err := awsiam.New(ctx, awsiam.Config{Endpoint: s.url, AccessKeyID: s.key, SecretAccessKey: s.secret, MaxAttempts: 1,
		HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		return nil, "", err
	}
	policyARN, err := iam.CreatePolicy(ctx, "bench-"+prefix, benchPolicy, "")
	if err != nil {
		return nil, "", fmt.Errorf("%s: CreatePolicy: %w", s.name, err)
	}
	return iam, policyARN, nil
}

// life runs one loop of the workload for user name and returns the calls
// made; it stops at the first error.
func life(ctx context.Context, iam *awsiam.Client, name, policyARN string) (int, error) {
	n := 0
	step := func(action string, call func() error) error {
		n++
		if err := call(); err != nil {
			return fmt.Errorf("%s %s: %w", action, name, err)
		}
		return nil
	}
	var dev awsiam.VirtualDevice
	steps := []func() error{
		func() error { _, err := iam.CreateUser(ctx, name, nil); return err },
		func() error { _, err := iam.GetUser(ctx, name); return err },
		func() error { return iam.CreateLoginProfile(ctx, name, "Bench-Passw0rd!"+name) },
		func() error { return iam.AttachUserPolicy(ctx, name, policyARN) },
		func() (err error) { dev, err = iam.CreateVirtualMFADevice(ctx, name); return err },
		func() error {
			now := time.Now()
			// moto's seed is not a TOTP seed and it accepts any codes.
			c1, err1 := iamemu.GenerateCode(dev.Secret, now.Add(-30*time.Second))
			c2, err2 := iamemu.GenerateCode(dev.Secret, now)
			if err1 != nil || err2 != nil {
				c1, c2 = "123456", "654321"
			}
			return iam.EnableMFADevice(ctx, name, dev.Serial, c1, c2)
		},
		func() error { _, err := iam.ListMFADevices(ctx, name); return err },
		func() error { return iam.DeactivateMFADevice(ctx, name, dev.Serial) },
		func() error { return iam.DeleteVirtualMFADevice(ctx, dev.Serial) },
		func() error { return iam.DetachUserPolicy(ctx, name, policyARN) },
		func() error { return iam.DeleteLoginProfile(ctx, name) },
		func() error { return iam.DeleteUser(ctx, name) },
	}
	for i, s := range steps {
		if err := step(lifeCalls[i], s); err != nil {
			return n, err
		}
	}
	return n, nil
}
