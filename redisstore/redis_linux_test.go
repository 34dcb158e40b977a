package redisstore_test

import (
	"os/exec"
	"syscall"
)

// dieWithTest has the kernel kill cmd when the test binary dies, also
// without its cleanups (a -timeout panic, a kill). The signal follows the
// OS thread that started cmd; the tests lock no thread, so Go never ends it
// early.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
