package client

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The client is written against the OpenAPI document: every request it
// can send is an operation of the document, and every operation of the
// document has a method here. (The handler tests run the client against a
// real portal, through the document's validator.)
func TestClientFollowsTheDocument(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../handlers/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatal(err)
	}
	var inDoc []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inDoc = append(inDoc, method+" "+path)
		}
	}
	// The calls are spread over the package's files by topic; read them all.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var src []byte
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	var inClient []string
	for _, m := range regexp.MustCompile(`method: "([A-Z]+)", path: "([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		inClient = append(inClient, m[1]+" "+m[2])
	}
	for _, m := range regexp.MustCompile(`c\.operatorCall\(ctx, "([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		inClient = append(inClient, "POST "+m[1])
	}
	if len(inClient) < 30 {
		t.Fatalf("found only %d calls in the client: has the way it names operations changed?", len(inClient))
	}
	for _, op := range inClient {
		if !slices.Contains(inDoc, op) {
			t.Errorf("the client calls %s, which the OpenAPI document does not have", op)
		}
	}
	for _, op := range inDoc {
		if !slices.Contains(inClient, op) {
			t.Errorf("the OpenAPI document has %s, which the client cannot call", op)
		}
	}
}
