package measure

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// Child is a server process a harness started from its own executable (see
// StartChild), so the server's CPU time and memory are its own and the
// harness drives it over loopback.
type Child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	Pid   int
}

// ChildEnv is the environment variable that tells a harness's executable
// to run as the child named by its value (see StartChild, IsChild).
const ChildEnv = "GATEHOUSE_BENCH_CHILD"

// IsChild returns the role this process was started in by StartChild, or
// "" in the harness itself. main (and TestMain, for the smoke benchmarks)
// asks it first.
func IsChild() string { return os.Getenv(ChildEnv) }

// StartChild starts this executable again as role, with env added, and
// decodes the first line the child prints (JSON) into hello. The child
// serves until its standard input closes (Stop, or the harness dying).
func StartChild(role string, env []string, hello any) (*Child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe) // a child takes its settings from env, not flags
	cmd.Env = append(append(os.Environ(), ChildEnv+"="+role), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &Child{cmd: cmd, stdin: stdin, Pid: cmd.Process.Pid}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, hello)
	}
	if err != nil {
		c.Stop()
		return nil, fmt.Errorf("start %s: %w", role, err)
	}
	go io.Copy(io.Discard, stdout)
	return c, nil
}

// Stop closes the child's standard input and waits for it to exit (killing
// it after 10 s).
func (c *Child) Stop() error {
	c.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		return errors.Join(errors.New("child did not stop; killed"), <-done)
	}
}

// Hello is what a child does once it serves: print hello as one JSON line
// for StartChild, then block until the harness closes standard input.
func Hello(hello any) error {
	b, err := json.Marshal(hello)
	if err != nil {
		return err
	}
	if _, err := os.Stdout.Write(append(b, '\n')); err != nil {
		return err
	}
	io.Copy(io.Discard, os.Stdin)
	return nil
}
