package loyaltytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// bothWays serves h over a socket (httptest) and in-process, and returns
// an http.Client and base URL for each.
func bothWays(t *testing.T, h http.Handler) (socket, inproc *http.Client, socketURL, inprocURL string, logs *bytes.Buffer) {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	logs = new(bytes.Buffer)
	var mu sync.Mutex
	tr := &inProcess{
		handler: h,
		host:    "127.0.0.1:9",
		closing: make(chan struct{}),
		server:  &http.Server{ErrorLog: log.New(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) }), "", 0)},
		addr:    &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9},
	}
	return ts.Client(), &http.Client{Transport: tr}, ts.URL, "http://127.0.0.1:9", logs
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// seen is what a handler saw of its request.
type seen struct {
	Method, RequestURI, Proto, Host string
	ContentLength                   int64
	TransferEncoding                []string
	Header                          http.Header
	Body                            string
	URLHasHost, TLS                 bool
}

// The handler sees the request a server reads off the wire: the same
// method, URI, host, length, framing and headers (those net/http's
// Transport adds included) over a socket and in-process.
func TestInProcessRequestAsAServerSeesIt(t *testing.T) {
	var mu sync.Mutex
	var got seen
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = seen{r.Method, r.RequestURI, r.Proto, r.Host, r.ContentLength, r.TransferEncoding, r.Header, string(body), r.URL.Host != "", r.TLS != nil}
		mu.Unlock()
		if r.RemoteAddr == "" {
			t.Error("no RemoteAddr")
		}
		if r.Context().Value(http.ServerContextKey) == nil {
			t.Error("no http.ServerContextKey in the handler's context")
		}
	})
	socket, inproc, sURL, iURL, _ := bothWays(t, h)
	type req struct {
		method, path string
		body         func() io.Reader
		header       http.Header
	}
	cases := map[string]req{
		"GET":                            {method: "GET", path: "/a/b?x=1&y=%20"},
		"POST bytes":                     {method: "POST", path: "/p", body: func() io.Reader { return strings.NewReader(`{"a":1}`) }, header: http.Header{"Content-Type": {"application/json"}}},
		"POST no body":                   {method: "POST", path: "/p"},
		"PATCH unknown length":           {method: "PATCH", path: "/p", body: func() io.Reader { return io.MultiReader(strings.NewReader("abc")) }},
		"PUT empty unknown length":       {method: "PUT", path: "/p", body: func() io.Reader { return io.MultiReader() }},
		"DELETE":                         {method: "DELETE", path: "/d/%2F"},
		"own User-Agent, lower-case key": {method: "GET", path: "/", header: http.Header{"User-Agent": {"me/1"}, "x-lower": {"v"}}},
		"empty User-Agent":               {method: "GET", path: "/", header: http.Header{"User-Agent": {""}}},
		"own Accept-Encoding":            {method: "GET", path: "/", header: http.Header{"Accept-Encoding": {"identity"}}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			do := func(hc *http.Client, base string) seen {
				var body io.Reader
				if c.body != nil {
					body = c.body()
				}
				r, err := http.NewRequest(c.method, base+c.path, body)
				if err != nil {
					t.Fatal(err)
				}
				for k, vs := range c.header {
					r.Header[k] = vs
				}
				resp, err := hc.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				mu.Lock()
				defer mu.Unlock()
				s := got
				s.Host = strings.Replace(s.Host, strings.TrimPrefix(base, "http://"), "HOST", 1)
				return s
			}
			overSocket, inProcess := do(socket, sURL), do(inproc, iURL)
			if !reflect.DeepEqual(overSocket, inProcess) {
				t.Errorf("handler saw\nsocket:     %+v\nin-process: %+v", overSocket, inProcess)
			}
		})
	}
}

// answer is what a client gets of a response.
type answer struct {
	Status           string
	Header           http.Header
	ContentLength    int64
	TransferEncoding []string
	Trailer          http.Header
	Body             string
}

// The client gets the same answer over a socket and in-process: status,
// headers (Date aside), length, framing, trailers and body.
func TestInProcessAnswerAsAClientReadsIt(t *testing.T) {
	big := strings.Repeat("x", 10<<10)
	handlers := map[string]http.HandlerFunc{
		"small JSON": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true}`)
		},
		"sniffed type": func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "<html><body>hi</body></html>") },
		"no body":      func(w http.ResponseWriter, r *http.Request) {},
		"large, chunked": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, big)
		},
		"large, own Content-Length": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "10240")
			_, _ = io.WriteString(w, big)
		},
		"201 then body": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			w.Header().Set("X-Late", "ignored") // after WriteHeader: not sent
			_, _ = io.WriteString(w, "made")
		},
		"204 refuses a body": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
			if _, err := io.WriteString(w, "nope"); !errors.Is(err, http.ErrBodyNotAllowed) {
				t.Errorf("write after 204: %v, want ErrBodyNotAllowed", err)
			}
		},
		"flushed": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "part one,")
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, "part two")
		},
		"declared trailer": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Trailer", "X-Sum")
			_, _ = io.WriteString(w, "data")
			w.Header().Set("X-Sum", "42")
		},
		"prefixed trailer": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "data")
			w.Header().Set(http.TrailerPrefix+"X-Sum", "43")
		},
		"error status": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "gone", http.StatusGone)
		},
	}
	for name, h := range handlers {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			t.Run(name+" "+method, func(t *testing.T) {
				socket, inproc, sURL, iURL, _ := bothWays(t, h)
				do := func(hc *http.Client, base string) answer {
					r, _ := http.NewRequest(method, base+"/", nil)
					resp, err := hc.Do(r)
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					b, err := io.ReadAll(resp.Body)
					if err != nil {
						t.Fatal(err)
					}
					if resp.Header.Get("Date") == "" {
						t.Error("no Date header")
					}
					resp.Header.Del("Date")
					body := string(b)
					if len(body) > 40 {
						body = fmt.Sprintf("%s… (%d bytes)", body[:20], len(body))
					}
					return answer{resp.Status, resp.Header, resp.ContentLength, resp.TransferEncoding, resp.Trailer, body}
				}
				overSocket, inProcess := do(socket, sURL), do(inproc, iURL)
				if !reflect.DeepEqual(overSocket, inProcess) {
					t.Errorf("client got\nsocket:     %+v\nin-process: %+v", overSocket, inProcess)
				}
			})
		}
	}
}

// httptrace fires as over a socket: WroteHeaders before the handler runs,
// WroteRequest once the body is read, GotFirstResponseByte with the answer.
func TestInProcessTraceOrder(t *testing.T) {
	var mu sync.Mutex
	var events []string
	add := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
	_, inproc, _, base, _ := bothWays(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		add("handler")
		_, _ = io.ReadAll(r.Body)
		add("read body")
		_, _ = io.WriteString(w, "ok")
	}))
	trace := &httptrace.ClientTrace{
		WroteHeaders:         func() { add("WroteHeaders") },
		WroteRequest:         func(i httptrace.WroteRequestInfo) { add("WroteRequest") },
		GotFirstResponseByte: func() { add("GotFirstResponseByte") },
	}
	r, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "POST", base+"/", strings.NewReader("body"))
	resp, err := inproc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := []string{"WroteHeaders", "handler", "WroteRequest", "read body", "GotFirstResponseByte"}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
}

// closeSpy reports when a request body is closed.
type closeSpy struct {
	io.Reader
	closed chan struct{}
	once   sync.Once
}

func (c *closeSpy) Close() error { c.once.Do(func() { close(c.closed) }); return nil }

func waitClosed(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Errorf("%s was not closed", what)
	}
}

// A cancelled context returns at once while the handler blocks; the
// handler's context is cancelled and the request body closed.
func TestInProcessCancelWhileHandlerBlocks(t *testing.T) {
	handlerDone := make(chan struct{})
	started := make(chan struct{})
	_, inproc, _, base, _ := bothWays(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
		close(handlerDone)
	}))
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxProbe{}, "caller"))
	body := &closeSpy{Reader: strings.NewReader("x"), closed: make(chan struct{})}
	r, _ := http.NewRequestWithContext(ctx, "POST", base+"/", body)
	go func() { <-started; cancel() }()
	start := time.Now()
	_, err := inproc.Do(r)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v", d)
	}
	waitClosed(t, "the handler's context", handlerDone)
	waitClosed(t, "the request body", body.closed)
}

type ctxProbe struct{}

// The handler's context carries none of the caller's values (a trace, the
// SDK's rules), as a server's does not.
func TestInProcessHandlerContextIsAServers(t *testing.T) {
	var leaked atomic.Bool
	_, inproc, _, base, _ := bothWays(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Context().Value(ctxProbe{}) != nil)
	}))
	r, _ := http.NewRequestWithContext(context.WithValue(context.Background(), ctxProbe{}, "caller"), "GET", base+"/", nil)
	resp, err := inproc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if leaked.Load() {
		t.Error("the handler saw the caller's context value")
	}
}

// A request body is closed after a normal answer too.
func TestInProcessClosesRequestBody(t *testing.T) {
	_, inproc, _, base, _ := bothWays(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	body := &closeSpy{Reader: strings.NewReader("x"), closed: make(chan struct{})}
	r, _ := http.NewRequest("POST", base+"/", body)
	resp, err := inproc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitClosed(t, "the request body", body.closed)
}

// A handler that cuts the connection (http.ErrAbortHandler, what
// Fault.Drop does without a Hijacker) or panics is a transport error, as
// over a socket: RoundTrip's before the answer, the body's after it. Only
// a panic other than ErrAbortHandler is logged.
func TestInProcessCutsAndPanics(t *testing.T) {
	cases := []struct {
		name     string
		h        http.HandlerFunc
		midBody  bool
		logsWith string
	}{
		{name: "abort before the answer", h: func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }},
		{name: "panic before the answer", h: func(w http.ResponseWriter, r *http.Request) { panic("boom") }, logsWith: "boom"},
		{name: "abort mid-body", midBody: true, h: func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}},
		{name: "panic mid-body", midBody: true, logsWith: "bang", h: func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, strings.Repeat("y", 4096)) // past the buffer: the answer has started
			panic("bang")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			socket, inproc, sURL, iURL, logs := bothWays(t, c.h)
			for _, way := range []struct {
				name string
				hc   *http.Client
				url  string
			}{{"socket", socket, sURL}, {"in-process", inproc, iURL}} {
				resp, err := way.hc.Post(way.url+"/", "application/json", strings.NewReader("{}"))
				if !c.midBody {
					if err == nil || !errors.Is(err, io.EOF) {
						t.Errorf("%s: error %v, want one matching io.EOF", way.name, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", way.name, err)
				}
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("%s: reading the body: %v, want io.ErrUnexpectedEOF", way.name, err)
				}
			}
			if got := logs.String(); c.logsWith == "" && got != "" {
				t.Errorf("logged %q, want nothing", got)
			} else if c.logsWith != "" && (!strings.Contains(got, "panic serving") || !strings.Contains(got, c.logsWith)) {
				t.Errorf("logged %q, want the panic and its value", got)
			}
		})
	}
}

// A large answer is streamed: a reader that stops early stops the handler,
// which never gets far ahead of it.
func TestInProcessStreamsLargeAnswers(t *testing.T) {
	var written atomic.Int64
	done := make(chan error, 1)
	_, inproc, _, base, _ := bothWays(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("z"), 32<<10)
		for range 2048 { // 64 MiB
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}))
	resp, err := inproc.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("the handler wrote all 64 MiB to a reader that had closed")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler is still writing")
	}
	if n := written.Load(); n > 1<<20 {
		t.Errorf("the handler wrote %d bytes for a reader that read 1000", n)
	}
}

// Only the server's own host is served; after Close nothing is sent, as
// when a connection is refused.
func TestInProcessRefusals(t *testing.T) {
	srv := New(t)
	hc := &http.Client{Transport: srv.InProcessTransport()}
	body := &closeSpy{Reader: strings.NewReader("{}"), closed: make(chan struct{})}
	if _, err := hc.Post("http://example.com/api/v2/customers", "application/json", body); err == nil || !strings.Contains(err.Error(), "serves "+srv.URL+" only") {
		t.Errorf("another host: %v", err)
	}
	waitClosed(t, "the refused request's body", body.closed)
	srv.Close()
	var wrote atomic.Bool
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})
	r, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v2/customers", strings.NewReader("{}"))
	_, err := hc.Do(r)
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" || !errors.Is(err, errServerClosed) {
		t.Errorf("after Close: %v, want a dial error", err)
	}
	if wrote.Load() {
		t.Error("WroteHeaders fired for a request that was not sent")
	}
}
