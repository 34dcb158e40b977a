package transport

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
)

// Buffer reads each response body whole inside its attempt, so that a
// connection that breaks mid-body fails that attempt (and is retried where
// the call allows it, like any transport error), and so that no body is
// read unbounded. A 2xx body longer than Max fails with *TooLarge; other
// bodies are only read for an error message and are cut at ErrorMax. The
// limits count decompressed bytes: net/http has already undone gzip.
//
// The exception is a 2xx answer to a call that changes state
// (Rule.ChangesState) whose body breaks off: the platform did the call, so
// failing the attempt (which a retry could send again) would be wrong. The
// response is kept, and its body reads as what arrived, then the error;
// the caller decides what an unreadable answer means.
type Buffer struct {
	Base          http.RoundTripper
	Max, ErrorMax int64
}

// TooLarge is a 2xx body longer than the cap.
type TooLarge struct{ Limit int64 }

func (e *TooLarge) Error() string {
	return fmt.Sprintf("response body exceeds the %s cap", ByteSize(e.Limit))
}

// RoundTrip implements http.RoundTripper.
func (b *Buffer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.Base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.Body == nil { // a user's round-tripper may leave it nil (net/http's Client would mend it)
		resp.Body = http.NoBody
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	limit := b.ErrorMax
	if ok {
		limit = b.Max
	}
	limit = min(limit, math.MaxInt64-1) // limit+1 below must not overflow
	body, err := readBody(resp.Body, resp.ContentLength, limit+1)
	resp.Body.Close()
	if err != nil && ok {
		if r, _ := ruleFrom(req.Context()); r.ChangesState && int64(len(body)) <= limit {
			resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), brokenBody{n: len(body), err: err}))
			resp.ContentLength = -1
			return resp, nil
		}
		return nil, err
	}
	// A broken error body still carries its status (a 429 to retry, a 404
	// to report): keep what arrived.
	if int64(len(body)) > limit {
		if ok {
			return nil, &TooLarge{Limit: b.Max}
		}
		body = body[:limit]
	}
	bb := NewBuffered(body)
	resp.Body = bb
	resp.ContentLength = int64(len(body))
	if a := attemptsFrom(req.Context()); a != nil {
		a.keep(resp, bb)
	}
	return resp, nil
}

// readBody reads r, a body of declared length n (-1: unknown), up to max
// bytes. A body of known length that fits is read into one slice of
// exactly that size (bytes.Buffer.ReadFrom would grow it to find the end);
// a body that turns out longer than declared is read on as one of unknown
// length.
func readBody(r io.Reader, n, max int64) ([]byte, error) {
	if n < 0 || n >= max || n > math.MaxInt32 {
		return readAll(nil, r, max)
	}
	body := make([]byte, n, n+1) // one byte more, to find the end without another buffer
	got, err := io.ReadFull(r, body)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // nothing of a body that declared n bytes
		}
		return body[:got], err // it broke off before its Content-Length
	}
	m, err := r.Read(body[n : n+1])
	switch {
	case m > 0:
		return readAll(body[:n+1], r, max)
	case err == nil || err == io.EOF:
		return body, nil
	}
	return body, err
}

// readAll appends r to b, up to max bytes in all.
func readAll(b []byte, r io.Reader, max int64) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	_, err := buf.ReadFrom(io.LimitReader(r, max-int64(len(b))))
	return buf.Bytes(), err
}

// Buffered is a response body Buffer read whole: a reader over it that
// also hands out the bytes themselves (Unread), so that decoding it needs
// no copy.
type Buffered struct {
	bytes.Reader
	data []byte
}

// NewBuffered returns a Buffered reading b.
func NewBuffered(b []byte) *Buffered {
	r := &Buffered{data: b}
	r.Reset(b)
	return r
}

// Unread returns the bytes not read yet, without reading them. They are
// the body's own: do not change them.
func (b *Buffered) Unread() []byte { return b.data[len(b.data)-b.Len():] }

// Close implements io.Closer; there is nothing to release.
func (b *Buffered) Close() error { return nil }

// ByteSize formats n as "32 MiB", "512 KiB" or "100 bytes".
func ByteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// brokenBody ends the body of a 2xx answer that broke off: reading past
// what arrived gives this error.
type brokenBody struct {
	n   int
	err error
}

func (b brokenBody) Read([]byte) (int, error) { return 0, b }
func (b brokenBody) Error() string {
	return fmt.Sprintf("the answer broke off after %d bytes: %v", b.n, b.err)
}
func (b brokenBody) Unwrap() error { return b.err }
