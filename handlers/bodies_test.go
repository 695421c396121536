package handlers_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// leftovers lists the multipart temporary files in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "multipart-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// send posts body with contentType and returns the status (a connection
// the server closed after answering counts as its answer).
func send(t *testing.T, c *client, path, contentType string, body io.Reader) int {
	t.Helper()
	req, _ := http.NewRequest("POST", c.url(path), body)
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// Finding: any anonymous form post was parsed whatever its size (a 20 MiB
// body to /signin was read and answered 401), and a multipart body over
// 32 MiB left multipart-* temporary files behind for good.
func TestRequestBodiesAreBounded(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newEnv(t)
	e.setupAdmin()
	c := e.newClient()
	big := "username=admin&password=" + strings.Repeat("x", 20<<20) + "&code=000000"
	t.Run("a 20 MiB form is refused", func(t *testing.T) {
		if got := send(t, c, "/signin", "application/x-www-form-urlencoded", strings.NewReader(big)); got != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", got)
		}
	})
	t.Run("also without a Content-Length", func(t *testing.T) {
		body := io.MultiReader(strings.NewReader(big)) // hides the length: sent chunked
		if got := send(t, c, "/signin", "application/x-www-form-urlencoded", body); got != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", got)
		}
	})
	t.Run("multipart where no upload is expected is refused and leaves no file", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("username", "admin")
		fw, _ := mw.CreateFormFile("password", "p.bin")
		fw.Write(bytes.Repeat([]byte("x"), 33<<20))
		mw.Close()
		if got := send(t, c, "/signin", mw.FormDataContentType(), &buf); got != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", got)
		}
		if files := leftovers(t, tmp); len(files) > 0 {
			t.Fatalf("temporary files left behind: %v", files)
		}
		// A new buffer: the client may still be sending the refused body
		// from the old one after the server has answered.
		var small bytes.Buffer
		mw = multipart.NewWriter(&small)
		mw.WriteField("username", "admin")
		mw.WriteField("password", "x")
		mw.Close()
		if got := send(t, c, "/signin", mw.FormDataContentType(), &small); got != http.StatusUnprocessableEntity {
			t.Fatalf("small multipart: status %d, want 422", got)
		}
	})
	t.Run("an API body over 64 KiB is refused", func(t *testing.T) {
		body := `{"user_name":"` + strings.Repeat("a", 70<<10) + `"}`
		if got := send(t, c, "/api/v1/users", "application/json", strings.NewReader(body)); got != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", got)
		}
	})
}

// The CSV upload, the one route that takes a file, removes the temporary
// file its parse spools a larger upload to.
func TestUploadLeavesNoTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newBulkEnv(t)
	admin, _ := e.setupAdmin()
	var csv strings.Builder
	csv.WriteString("user_name,display_name,email,deadline\n")
	for i := 0; csv.Len() < 3<<19; i++ { // 1.5 MiB: over what is kept in memory
		fmt.Fprintf(&csv, "user%d,%s,,\n", i, strings.Repeat("N", 100))
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "users.csv")
	fw.Write([]byte(csv.String()))
	mw.Close()
	if got := send(t, admin, "/users/bulk", mw.FormDataContentType(), &buf); got != http.StatusOK && got != http.StatusUnprocessableEntity {
		t.Fatalf("upload: status %d", got)
	}
	if files := leftovers(t, tmp); len(files) > 0 {
		t.Fatalf("temporary files left behind: %v", files)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatal(err)
	}
}
