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
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// InProcessTransport returns an http.RoundTripper that serves each request
// by calling the server's handler in the calling process, with no
// connection: for unit tests that want the SDK and the fake but no socket
// traffic (the server still listens, for other callers). Pass it to the
// SDK with loyalty.WithHTTPClient, keeping the platform base URLs of the
// *Config methods (it serves only requests to srv.URL and refuses any
// other host):
//
//	hc := &http.Client{Transport: srv.InProcessTransport()}
//	client := srv.Client(loyalty.WithHTTPClient(hc))
//
// For the SDK it behaves as the socket of HTTPClient does, so that a test
// means the same either way:
//   - The handler sees a server request (as httptest.NewRequest builds one:
//     RemoteAddr 192.0.2.1:1234, Host, RequestURI, HTTP/1.1, TLS nil) with
//     the headers net/http would have written (Host, User-Agent,
//     Content-Length, Accept-Encoding), and the request is recorded and hit
//     by faults as over a socket.
//   - httptrace's WroteHeaders fires before the handler runs (and
//     WroteRequest once it has read the body, GotFirstResponseByte when the
//     answer starts), so a write that fails afterwards is ErrMaybeApplied.
//     There are no connection hooks: there is no connection.
//   - The answer streams: the handler's writes are handed to the reader
//     through a pipe once they outgrow a small buffer, so a large body is
//     never held whole in memory and the SDK's response cap works as over a
//     socket. An answer the handler finishes within that buffer comes with
//     its Content-Length; trailers are supported.
//   - A cancelled request context returns ctx.Err() at once, even while the
//     handler blocks; the handler's own context is cancelled then too.
//   - A fault that cuts the connection (Fault.Drop: there is no
//     http.Hijacker, so the fake panics with http.ErrAbortHandler) is a
//     transport error, as a closed connection is: RoundTrip's error before
//     the answer started, the body's (io.ErrUnexpectedEOF) after. Any other
//     panic in the handler is logged with its stack and cuts the connection
//     the same way, as net/http's server does.
//   - After Close it fails as a refused connection does (an error before
//     anything was sent).
//
// Each request runs the handler in a goroutine of its own, so that a
// cancelled caller need not wait for it. Close waits for requests served
// over sockets, not for these.
func (s *Server) InProcessTransport() http.RoundTripper {
	u, _ := url.Parse(s.URL) // Start built it
	return &inProcess{
		handler: http.HandlerFunc(s.serve),
		host:    u.Host,
		closing: s.closing,
		server:  s.ts.Config,
		addr:    s.ts.Listener.Addr(),
	}
}

// inProcess is the round-tripper of InProcessTransport, over any handler so
// that its own tests can use one.
type inProcess struct {
	handler http.Handler
	host    string          // host:port served; other hosts are refused
	closing <-chan struct{} // closed when the server is
	server  *http.Server    // for its ErrorLog, and http.ServerContextKey
	addr    net.Addr        // http.LocalAddrContextKey
}

// inProcessRemoteAddr is the client address the handler sees, as
// httptest.NewRequest sets it (TEST-NET-1, RFC 5737).
const inProcessRemoteAddr = "192.0.2.1:1234"

// inProcessBuffer is how much of an answer is held before the headers are
// handed over: net/http's server buffers as much before it decides between
// a Content-Length and chunking.
const inProcessBuffer = 2048

// errServerClosed is the error of a request after Close, inside a dial
// error: nothing was sent, as when a connection is refused.
var errServerClosed = errors.New("loyaltytest: server closed")

// RoundTrip implements http.RoundTripper.
func (t *inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	closeBody := func() {
		if req.Body != nil {
			req.Body.Close()
		}
	}
	if req.URL == nil {
		closeBody()
		return nil, errors.New("loyaltytest: in-process transport: nil Request.URL")
	}
	if req.URL.Scheme != "http" || req.URL.Host != t.host {
		closeBody()
		return nil, fmt.Errorf("loyaltytest: in-process transport serves http://%s only, not %s://%s", t.host, req.URL.Scheme, req.URL.Host)
	}
	select {
	case <-t.closing:
		closeBody()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: t.addr, Err: errServerClosed}
	default:
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeBody()
		return nil, err
	}
	sreq, err := t.serverRequest(req)
	if err != nil {
		closeBody()
		return nil, err
	}
	trace := httptrace.ContextClientTrace(ctx)
	var wroteOnce sync.Once
	wroteRequest := func(err error) {
		wroteOnce.Do(func() {
			if trace != nil && trace.WroteRequest != nil {
				trace.WroteRequest(httptrace.WroteRequestInfo{Err: err})
			}
		})
	}
	if sreq.Body != http.NoBody {
		sreq.Body = &eofSignal{r: sreq.Body, onEOF: func() { wroteRequest(nil) }}
	}
	if trace != nil && trace.WroteHeaders != nil {
		trace.WroteHeaders()
	}

	// The handler's context is a server's: cancelled when the caller goes
	// away or the handler returns, holding none of the caller's values.
	hctx, hcancel := context.WithCancel(context.WithValue(context.WithValue(context.Background(),
		http.ServerContextKey, t.server), http.LocalAddrContextKey, t.addr))
	sreq = sreq.WithContext(hctx)
	pr, pw := io.Pipe()
	w := &inProcessWriter{req: sreq, client: req, header: http.Header{}, head: make(chan headOrErr, 1), pr: pr, pw: pw}
	go func() {
		stop := context.AfterFunc(ctx, hcancel)
		defer func() {
			stop()
			hcancel()
			closeBody()
			wroteRequest(nil) // whatever the handler did not read was sent
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					buf := make([]byte, 64<<10)
					buf = buf[:runtime.Stack(buf, false)]
					t.logf("http: panic serving %s (in-process): %v\n%s", inProcessRemoteAddr, v, buf)
				}
				w.cut()
				return
			}
			w.finish()
		}()
		t.handler.ServeHTTP(w, sreq)
	}()

	select {
	case h := <-w.head:
		if h.err != nil {
			return nil, h.err
		}
		if trace != nil && trace.GotFirstResponseByte != nil {
			trace.GotFirstResponseByte()
		}
		if body, ok := h.resp.Body.(*pipeBody); ok {
			body.stop = context.AfterFunc(ctx, func() { pr.CloseWithError(ctx.Err()) })
		}
		return h.resp, nil
	case <-ctx.Done():
		pr.CloseWithError(ctx.Err()) // the handler's writes fail from now on
		wroteRequest(ctx.Err())
		return nil, ctx.Err()
	}
}

func (t *inProcess) logf(format string, args ...any) {
	if t.server != nil && t.server.ErrorLog != nil {
		t.server.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// serverRequest is req as a server reads it off the wire, with the
// headers net/http's Transport adds to what it writes.
func (t *inProcess) serverRequest(req *http.Request) (*http.Request, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	requestURI := req.URL.RequestURI()
	u, err := url.ParseRequestURI(requestURI)
	if err != nil {
		return nil, fmt.Errorf("loyaltytest: in-process transport: %w", err)
	}
	h := make(http.Header, len(req.Header)+4)
	for k, vs := range req.Header {
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n\x00") {
				return nil, fmt.Errorf("net/http: invalid header field value for %q", k)
			}
		}
		ck := textproto.CanonicalMIMEHeaderKey(k)
		h[ck] = append(h[ck], vs...)
	}
	delete(h, "Host")
	// net/http sends its own User-Agent unless the header is there, and
	// none when it is there but empty.
	if _, ok := req.Header["User-Agent"]; !ok {
		h.Set("User-Agent", "Go-http-client/1.1")
	} else if h.Get("User-Agent") == "" {
		delete(h, "User-Agent")
	}
	// It asks for gzip unless told otherwise; the fake never compresses, so
	// there is nothing to undo on the way back.
	if h.Get("Accept-Encoding") == "" && h.Get("Range") == "" && method != http.MethodHead {
		h.Set("Accept-Encoding", "gzip")
	}

	sreq := &http.Request{
		Method:     method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       req.Host,
		RemoteAddr: inProcessRemoteAddr,
		RequestURI: requestURI,
	}
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	sreq.Body, sreq.ContentLength, err = serverBody(req)
	if err != nil {
		return nil, err
	}
	switch {
	case sreq.ContentLength > 0:
		h.Set("Content-Length", strconv.FormatInt(sreq.ContentLength, 10))
	case sreq.ContentLength < 0:
		h.Del("Content-Length")
		sreq.TransferEncoding = []string{"chunked"}
	case method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch:
		h.Set("Content-Length", "0") // net/http says so for these methods
	default:
		h.Del("Content-Length")
	}
	return sreq, nil
}

// serverBody is the body a server sees for req, and its length (-1:
// chunked), as net/http's Transport sends it: none when req has none,
// exactly ContentLength bytes when that is set, else chunked; a method that
// usually has no body (GET, HEAD, DELETE, OPTIONS) is probed first and
// sent without one when its body is empty.
func serverBody(req *http.Request) (io.ReadCloser, int64, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return http.NoBody, 0, nil
	}
	if req.ContentLength > 0 {
		return io.NopCloser(io.LimitReader(req.Body, req.ContentLength)), req.ContentLength, nil
	}
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodDelete, http.MethodOptions, http.MethodTrace, http.MethodConnect:
	default:
		return io.NopCloser(req.Body), -1, nil
	}
	var first [1]byte
	n, err := io.ReadFull(req.Body, first[:])
	if n == 0 {
		if err == io.EOF {
			return http.NoBody, 0, nil
		}
		return nil, 0, fmt.Errorf("loyaltytest: in-process transport: reading the request body: %w", err)
	}
	return io.NopCloser(io.MultiReader(bytes.NewReader(first[:n]), req.Body)), -1, nil
}

// eofSignal calls onEOF when the handler has read the whole body.
type eofSignal struct {
	r     io.ReadCloser
	onEOF func()
}

func (e *eofSignal) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.onEOF()
	}
	return n, err
}

func (e *eofSignal) Close() error { return e.r.Close() }

// headOrErr is what RoundTrip returns: the answer's head, or the error of
// a connection cut before it.
type headOrErr struct {
	resp *http.Response
	err  error
}

// inProcessWriter is the handler's http.ResponseWriter (and http.Flusher).
// The handler alone calls it; RoundTrip only reads head and closes pr.
type inProcessWriter struct {
	req    *http.Request // the server's
	client *http.Request // the caller's, for Response.Request
	header http.Header   // what the handler sets

	status  int         // 0 until WriteHeader
	sent    http.Header // the header as of WriteHeader
	buf     []byte      // the body until the head is handed over
	written int64       // body bytes written (also those HEAD eats)
	resp    *http.Response
	trailer []string // declared trailer keys

	head    chan headOrErr // one value: the head, or a cut
	pr      *io.PipeReader
	pw      *io.PipeWriter
	handed  bool // head sent
	chunked bool // the body goes through the pipe, trailers after it
}

func (w *inProcessWriter) Header() http.Header { return w.header }

func (w *inProcessWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http
	}
	if w.status != 0 || (code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols) {
		return // superfluous, or informational (not passed on)
	}
	w.status = code
	w.sent = w.header.Clone()
	for _, v := range w.sent.Values("Trailer") {
		for _, k := range strings.Split(v, ",") {
			if k = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)); k != "" {
				w.trailer = append(w.trailer, k)
			}
		}
	}
}

func (w *inProcessWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	w.written += int64(len(p))
	if !w.handed {
		if len(w.buf)+len(p) <= inProcessBuffer {
			w.buf = append(w.buf, p...)
			return len(p), nil
		}
		w.hand(false, p)
	}
	if !w.chunked && w.req.Method == http.MethodHead {
		return len(p), nil // eaten, as net/http does
	}
	return w.pw.Write(p)
}

// Flush implements http.Flusher: the head and what is buffered go out.
func (w *inProcessWriter) Flush() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !w.handed {
		w.hand(false, nil)
	}
}

// hand hands the head to RoundTrip, as net/http's server writes it: done
// says the handler has returned, so that a body known whole goes with a
// Content-Length unless trailers were declared; otherwise it is chunked
// through the pipe, starting with what was buffered. next is the write
// that overflowed the buffer, for sniffing the Content-Type.
func (w *inProcessWriter) hand(done bool, next []byte) {
	w.handed = true
	h := w.sent
	if _, ok := h["Date"]; !ok {
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	allowed := bodyAllowed(w.status)
	if _, ok := h["Content-Type"]; !ok && allowed && h.Get("Transfer-Encoding") == "" {
		sniff := w.buf
		if len(sniff) == 0 {
			sniff = next
		}
		if len(sniff) > 0 {
			h.Set("Content-Type", http.DetectContentType(sniff))
		}
	}
	trailers := len(w.trailer) > 0
	for k := range h {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			trailers = true
			delete(h, k) // sent after the body, not in the head
		}
	}
	resp := &http.Response{
		Status:     strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode: w.status,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       http.NoBody,
		Request:    w.client,
	}
	if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && n >= 0 && !trailers {
		resp.ContentLength = n // the handler's own
	} else {
		h.Del("Content-Length")
		resp.ContentLength = -1
		if done && !trailers && allowed && (w.req.Method != http.MethodHead || w.written > 0) {
			h.Set("Content-Length", strconv.FormatInt(w.written, 10))
			resp.ContentLength = w.written
		}
	}
	switch {
	case w.req.Method == http.MethodHead:
		// No body; the client takes the length from the header.
	case !allowed:
		resp.ContentLength = 0
	case resp.ContentLength >= 0 && done:
		resp.Body = io.NopCloser(bytes.NewReader(w.buf))
	default:
		w.chunked = true
		resp.Body = &pipeBody{pr: w.pr}
		if resp.ContentLength < 0 {
			resp.TransferEncoding = []string{"chunked"}
			h.Del("Trailer") // the client lists them in resp.Trailer
			if len(w.trailer) > 0 {
				resp.Trailer = make(http.Header, len(w.trailer))
				for _, k := range w.trailer {
					resp.Trailer[k] = nil
				}
			}
		}
	}
	w.resp = resp
	w.head <- headOrErr{resp: resp}
	if w.chunked && len(w.buf) > 0 {
		buf := w.buf
		w.buf = nil
		_, _ = w.pw.Write(buf) // fails only when the reader is gone
	}
}

// finish ends the answer of a handler that returned.
func (w *inProcessWriter) finish() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !w.handed {
		w.hand(true, nil)
	}
	if w.chunked && w.resp.ContentLength < 0 {
		// Trailers: the declared ones and those named with
		// http.TrailerPrefix, as set now. Filled before the pipe closes,
		// so that the reader, who reads them only at EOF, sees them.
		var t http.Header
		for _, k := range w.trailer {
			if vs, ok := w.header[k]; ok {
				t = addTrailer(t, k, vs)
			}
		}
		for k, vs := range w.header {
			if strings.HasPrefix(k, http.TrailerPrefix) {
				t = addTrailer(t, textproto.CanonicalMIMEHeaderKey(strings.TrimPrefix(k, http.TrailerPrefix)), vs)
			}
		}
		if t != nil {
			if w.resp.Trailer == nil {
				w.resp.Trailer = http.Header{}
			}
			for k, vs := range t {
				w.resp.Trailer[k] = vs
			}
		}
	}
	w.pw.Close()
}

func addTrailer(t http.Header, k string, vs []string) http.Header {
	if t == nil {
		t = http.Header{}
	}
	t[k] = vs
	return t
}

// cut ends the answer as a closed connection does: an error for RoundTrip
// if the head was not handed over yet, else for the body's reader.
func (w *inProcessWriter) cut() {
	if !w.handed {
		w.handed = true
		w.head <- headOrErr{err: fmt.Errorf("loyaltytest: in-process transport: the server closed the connection without an answer: %w", io.EOF)}
		return
	}
	w.pw.CloseWithError(fmt.Errorf("loyaltytest: in-process transport: the server closed the connection mid-answer: %w", io.ErrUnexpectedEOF))
}

// bodyAllowed reports whether an answer with status may have a body.
func bodyAllowed(status int) bool {
	return (status < 100 || status > 199) && status != http.StatusNoContent && status != http.StatusNotModified
}

// pipeBody is a streamed answer's body; stop releases the watch on the
// request's context.
type pipeBody struct {
	pr   *io.PipeReader
	stop func() bool
}

func (b *pipeBody) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *pipeBody) Close() error {
	if b.stop != nil {
		b.stop()
	}
	return b.pr.CloseWithError(errors.New("http: read on closed response body"))
}
