// Package testkeys hands tests RSA keys without generating them again:
// 2048-bit generation (IAM's minimum for SSH public keys) takes long enough
// to dominate a test that needs a few.
package testkeys

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"
)

var (
	mu   sync.Mutex
	keys []*rsa.PrivateKey
)

// RSA returns n distinct 2048-bit RSA keys, generated once per test binary
// and shared by every test in it.
func RSA(t testing.TB, n int) []*rsa.PrivateKey {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	for len(keys) < n {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	return keys[:n]
}
