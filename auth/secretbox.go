package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// Box encrypts the one secret Gatehouse stores: operators' TOTP seeds. It
// uses AES-256-GCM with a key derived (HKDF-SHA256) from the configured
// PORTAL_SECRET_KEY, so the database alone does not reveal any seed.
type Box struct{ aead cipher.AEAD }

// NewBox derives the encryption key from secret, which must be at least 32
// characters long.
func NewBox(secret []byte) (*Box, error) {
	return NewBoxFor(secret, "gatehouse operator totp v1")
}

// NewBoxFor is NewBox with a key of its own for purpose: boxes of different
// purposes cannot open each other's values.
func NewBoxFor(secret []byte, purpose string) (*Box, error) {
	if len(secret) < 32 {
		return nil, errors.New("the secret key must be at least 32 characters long")
	}
	key, err := hkdf.Key(sha256.New, secret, nil, purpose, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plain; the random nonce is prepended to the result.
func (b *Box) Seal(plain []byte) []byte {
	nonce := make([]byte, b.aead.NonceSize())
	rand.Read(nonce)
	return b.aead.Seal(nonce, nonce, plain, nil)
}

// Open decrypts what Seal produced.
func (b *Box) Open(sealed []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed value too short")
	}
	return b.aead.Open(nil, sealed[:n], sealed[n:], nil)
}
