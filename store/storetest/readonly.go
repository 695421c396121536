package storetest

import (
	"os"
	"os/exec"
	"testing"
)

// MakeReadOnly makes the file at path unwritable for this process and
// returns the undo (also run when the test ends). An ordinary user gets
// chmod 0400; root, whom file modes do not stop, gets the immutable
// attribute (chattr +i, which needs CAP_LINUX_IMMUTABLE and a file system
// that has the attribute, such as ext4).
func MakeReadOnly(t testing.TB, path string) (undo func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		undo = func() { os.Chmod(path, fi.Mode().Perm()) }
	} else {
		if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
			t.Fatalf("chattr +i %s (root needs the immutable attribute to make a file read-only): %v %s", path, err, out)
		}
		undo = func() { exec.Command("chattr", "-i", path).Run() }
	}
	t.Cleanup(undo)
	return undo
}
