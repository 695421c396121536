package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Why a hand-walked token tree instead of json.Unmarshal: encoding/json maps
// "effect" onto an Effect field and lets the last of two duplicate keys win
// silently (docs/policy-evaluation.md#validation). IAM rejects both, and so
// must we, with the position of the offending key. The tree keeps keys in
// document order with their byte offsets so errors and MatchedStatements can
// point at text.

type nodeKind int

const (
	kindObject nodeKind = iota
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

func (k nodeKind) String() string {
	return [...]string{"object", "array", "string", "number", "boolean", "null"}[k]
}

// node is one JSON value with its byte span [start, end] (end is the offset of
// the value's last byte).
type node struct {
	kind    nodeKind
	text    string // string value, number literal, "true"/"false"
	keys    []string
	keyPos  []int
	members []*node // object values, parallel to keys; or array items
	start   int
	end     int
}

// maxDepth bounds recursion on hostile input; real policies nest 4 deep.
const maxDepth = 32

type treeParser struct {
	src []byte
	dec *json.Decoder
}

// parseTree reads exactly one JSON value from src, rejecting duplicate and
// case-variant duplicate object keys at every level.
func parseTree(src []byte) (*node, error) {
	p := &treeParser{src: src, dec: json.NewDecoder(bytes.NewReader(src))}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.errAt(p.tokenStart(int(p.dec.InputOffset())), "unexpected data after the policy document")
	}
	return n, nil
}

// tokenStart skips the whitespace and separators that precede the next token.
func (p *treeParser) tokenStart(off int) int {
	for off < len(p.src) && strings.IndexByte(" \t\r\n,:", p.src[off]) >= 0 {
		off++
	}
	return off
}

func (p *treeParser) next() (json.Token, int, error) {
	start := p.tokenStart(int(p.dec.InputOffset()))
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, start, p.errAt(p.syntaxOffset(se), "invalid JSON: "+se.Error())
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, start, p.errAt(len(p.src), "unexpected end of the policy document")
		}
		return nil, start, p.errAt(start, "invalid JSON: "+err.Error())
	}
	return tok, start, nil
}

func (p *treeParser) value(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, p.errAt(p.tokenStart(int(p.dec.InputOffset())), "document nests too deeply")
	}
	tok, start, err := p.next()
	if err != nil {
		return nil, err
	}
	n := &node{start: start}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = kindObject
			err = p.object(n, depth)
		case '[':
			n.kind = kindArray
			err = p.array(n, depth)
		default:
			err = p.errAt(start, fmt.Sprintf("unexpected %q", rune(t)))
		}
		if err != nil {
			return nil, err
		}
		n.end = int(p.dec.InputOffset()) - 1
		return n, nil
	case string:
		n.kind, n.text = kindString, t
	case json.Number:
		n.kind, n.text = kindNumber, t.String()
	case bool:
		n.kind, n.text = kindBool, fmt.Sprint(t)
	case nil:
		n.kind = kindNull
	}
	n.end = int(p.dec.InputOffset()) - 1
	return n, nil
}

func (p *treeParser) object(n *node, depth int) error {
	seen := map[string]int{}
	for p.dec.More() {
		tok, pos, err := p.next()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if prev, dup := seen[strings.ToLower(key)]; dup {
			return p.errAt(pos, fmt.Sprintf("duplicate key %q (first written %q at %s); IAM rejects duplicates, even differing only in case",
				key, n.keys[prev], p.position(n.keyPos[prev])))
		}
		seen[strings.ToLower(key)] = len(n.keys)
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		n.keys = append(n.keys, key)
		n.keyPos = append(n.keyPos, pos)
		n.members = append(n.members, v)
	}
	_, _, err := p.next() // '}'
	return err
}

func (p *treeParser) array(n *node, depth int) error {
	for p.dec.More() {
		v, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		n.members = append(n.members, v)
	}
	_, _, err := p.next() // ']'
	return err
}

// syntaxOffset locates the character a json.SyntaxError complains about.
// Decoder.Token reports the offset of that character, or one byte earlier
// inside literals; for a bad string escape it reports where the value began.
func (p *treeParser) syntaxOffset(se *json.SyntaxError) int {
	off := max(0, min(int(se.Offset), len(p.src)))
	_, rest, ok := strings.Cut(se.Error(), "invalid character '")
	if !ok || rest == "" {
		return off
	}
	c := rest[0]
	if strings.Contains(se.Error(), "in string escape code") {
		if i := bytes.Index(p.src[off:], []byte{'\\', c}); i >= 0 {
			return off + i + 1
		}
		return off
	}
	for _, o := range []int{off, off + 1} {
		if o < len(p.src) && p.src[o] == c {
			return o
		}
	}
	return off
}

// position converts a byte offset into a 1-based line and a 1-based column
// counted in characters (runes), the unit an editor shows.
func (p *treeParser) position(off int) Position {
	return positionOf(p.src, off)
}

func positionOf(src []byte, off int) Position {
	off = max(0, min(off, len(src)))
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	return Position{Line: line, Column: 1 + utf8.RuneCount(src[lineStart:off])}
}

func (p *treeParser) errAt(off int, msg string) error {
	return &ParseError{Pos: p.position(off), Msg: msg}
}

// lookup returns the member of an object node called key (exact spelling).
func (n *node) lookup(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.members[i]
		}
	}
	return nil
}
