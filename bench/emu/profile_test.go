package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse/portal/iamemu"
)

// BenchmarkLifeInProcess runs the workload against an in-process emulator,
// one user's life (12 calls) per iteration, so `go test -cpuprofile` shows
// where the emulator's time goes (the client's is in the profile too:
// read the iamemu frames). Its wall-clock numbers are not the harness's.
func BenchmarkLifeInProcess(b *testing.B) {
	emu := iamemu.New(iamemu.Options{})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	key, secret := emu.RootCredentials()
	s := server{name: "emulator", url: srv.URL, key: key, secret: secret}
	ctx := context.Background()
	iam, policyARN, err := benchClient(ctx, s, 4, "p")
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, err := life(ctx, iam, fmt.Sprintf("p-u%d", i), policyARN); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
