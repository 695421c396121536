package notify_test

import (
	"net/mail"
	"strings"
	"testing"
)

// parse returns the decoded subject and body of a received message.
func parse(t *testing.T, data string) (string, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mimeDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return subject, decodeBody(t, m)
}
