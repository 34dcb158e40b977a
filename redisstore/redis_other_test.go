//go:build !linux

package redisstore_test

import "os/exec"

// dieWithTest: only Linux has a parent-death signal; elsewhere the
// cleanups stop the server.
func dieWithTest(*exec.Cmd) {}
