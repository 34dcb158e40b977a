//go:build linux

package redisstore_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A redis-server a test started does not outlive the test binary, also
// when the binary dies without running its cleanups (a -timeout panic, a
// kill): CI must not be left with a server running.
func TestRedisServerDiesWithTheTest(t *testing.T) {
	if os.Getenv("REDISSTORE_ORPHAN_CHILD") != "" {
		s := startRedis(t, false)
		fmt.Printf("pid %d\n", s.cmd.Process.Pid)
		time.Sleep(time.Minute) // killed by the parent long before
		return
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		startRedis(t, false) // skips, or fails under CI, with its message
	}
	child := exec.Command(os.Args[0], "-test.run=^TestRedisServerDiesWithTheTest$", "-test.v")
	child.Env = append(os.Environ(), "REDISSTORE_ORPHAN_CHILD=1")
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	pid := 0
	for sc := bufio.NewScanner(out); pid == 0 && sc.Scan(); {
		if p, ok := strings.CutPrefix(sc.Text(), "pid "); ok {
			pid, _ = strconv.Atoi(p)
		}
	}
	_ = child.Process.Kill()
	_ = child.Wait()
	if pid == 0 {
		t.Fatal("the child test printed no redis-server pid")
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("redis-server %d outlived the test binary that started it (killed now)", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether pid runs: it exists and is not a zombie (the
// server, orphaned, is reparented to a pid 1 that may not reap it).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}
