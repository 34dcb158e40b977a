package redisstore_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestMain quiets go-redis's own logger: the restart test makes it log
// every failed dial, and the tests assert on what the SDK surfaces.
func TestMain(m *testing.M) {
	redis.SetLogger(quiet{})
	os.Exit(m.Run())
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// redisServer is a redis-server of the test's own, on a free loopback
// port, in a temporary directory: never a system Redis on 6379.
type redisServer struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	aof  bool
	cmd  *exec.Cmd
	exit chan struct{}

	stopped  time.Time // when the last restart's old server had exited
	launched time.Time // when the last start launched the new one
}

// startRedis starts a redis-server and stops it when the test ends. With
// aof its data survives a restart (appendfsync always); without, it keeps
// nothing on disk. It skips the test when no redis-server is installed,
// except under CI (env CI set), where it fails.
func startRedis(t *testing.T, aof bool) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server not found (%v): CI must install it (apt-get install -y redis-server)", err)
		}
		t.Skip("redisstore: no redis-server binary on PATH: install Redis (apt-get install redis-server) to run these tests")
	}
	s := &redisServer{t: t, bin: bin, dir: t.TempDir(), aof: aof}
	var last error
	for range 5 { // a free port can be taken between Listen and redis-server
		if s.port, err = freePort(); err != nil {
			t.Fatal(err)
		}
		if last = s.start(); last == nil {
			t.Cleanup(s.stop)
			return s
		}
	}
	t.Fatalf("redis-server did not start: %v", last)
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *redisServer) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// start runs redis-server and waits for it to answer PING.
func (s *redisServer) start() error {
	args := []string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--daemonize", "no", "--loglevel", "warning", "--maxmemory-policy", "noeviction"}
	if s.aof {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always")
	} else {
		args = append(args, "--appendonly", "no")
	}
	s.launched = time.Now()
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Dir = s.dir
	dieWithTest(s.cmd) // the cleanup below does not run when the binary dies
	out, err := os.Create(fmt.Sprintf("%s/redis-%d.log", s.dir, time.Now().UnixNano()))
	if err != nil {
		return err
	}
	s.cmd.Stdout, s.cmd.Stderr = out, out
	if err := s.cmd.Start(); err != nil {
		out.Close()
		return err
	}
	s.exit = make(chan struct{})
	go func() { _ = s.cmd.Wait(); out.Close(); close(s.exit) }()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-s.exit:
			return fmt.Errorf("redis-server exited: %v (log in %s)", err, s.dir)
		default:
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("no PING answer in 10s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends the server: SIGTERM (it exits at once, and with AOF on it has
// written every command already), then SIGKILL after 5 s.
func (s *redisServer) stop() {
	if s.cmd == nil {
		return
	}
	select {
	case <-s.exit:
		s.cmd = nil
		return
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exit:
	case <-time.After(5 * time.Second):
		s.kill()
	}
	s.cmd = nil
}

func (s *redisServer) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exit
}

// restart stops the server, waits down, and starts it again on the same
// port and directory.
func (s *redisServer) restart(down time.Duration) {
	s.t.Helper()
	s.stop()
	s.stopped = time.Now()
	time.Sleep(down)
	if err := s.start(); err != nil {
		s.t.Fatalf("restarting redis-server: %v", err)
	}
}

// client returns a go-redis client of the server, closed with the test.
func (s *redisServer) client(t *testing.T) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr()})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}
