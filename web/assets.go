package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// The vendored htmx: static/htmx.min.js is dist/htmx.min.js of the npm package
// htmx.org at htmxVersion, byte for byte; a test checks the file against
// htmxSHA256. To upgrade, replace the file with the new release's and update
// both constants.
const (
	htmxVersion = "2.0.11"
	htmxSHA256  = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
)

// assets maps a file name to its content-hashed URL path and back.
var assets = func() struct{ url, file map[string]string } {
	a := struct{ url, file map[string]string }{map[string]string{}, map[string]string{}}
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := staticFS.ReadFile(p)
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		a.url[name] = "/static/" + hashed
		a.file[hashed] = p
		return nil
	})
	return a
}()

// Asset returns the content-hashed URL of a static file, e.g.
// "/static/app.3f2a9c1b7d0e.css". Hashed URLs can be cached forever.
func Asset(name string) string {
	if u, ok := assets.url[name]; ok {
		return u
	}
	return "/static/" + name
}

// StaticHandler serves the embedded static files under /static/ by their
// hashed names, with long-lived caching.
func StaticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file, ok := assets.file[strings.TrimPrefix(r.URL.Path, "/static/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := staticFS.ReadFile(file)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		switch path.Ext(file) {
		case ".css":
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		case ".svg":
			w.Header().Set("Content-Type", "image/svg+xml")
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(b)
	})
}
