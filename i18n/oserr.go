package i18n

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"os"
	"syscall"
)

// Errors from the operating system and the network (a file that is
// missing, a full disk, a port in use, a connection refused) are the
// same few kinds whatever vpclab was doing, and Go words them in
// English. A message given an error as a value (not err.Error()) shows
// such an error in the reader's language: in Japanese, the kind in
// Japanese with the file or address it names; anything else, and every
// error in English, as Go words it, which also keeps the context the
// error was wrapped in.
//
// osErrKinds is tried in order; the first kind the error is gives the
// message, whose {{.Subject}} is the path or address the error names.
var osErrKinds = []struct {
	is func(error) bool
	id string
}{
	{errnoIs(syscall.ENOSPC), "OSErrNoSpace"},
	{errnoIs(syscall.EDQUOT), "OSErrQuota"},
	{errnoIs(syscall.EROFS), "OSErrReadOnly"},
	{errnoIs(syscall.EISDIR), "OSErrIsDir"},
	{errnoIs(syscall.ENOTDIR), "OSErrNotDir"},
	{errnoIs(syscall.ENOTEMPTY), "OSErrNotEmpty"},
	{errnoIs(syscall.EMFILE, syscall.ENFILE), "OSErrTooManyFiles"},
	{errnoIs(syscall.ECONNREFUSED), "OSErrConnRefused"},
	{errnoIs(syscall.EADDRINUSE), "OSErrAddrInUse"},
	{errnoIs(syscall.EADDRNOTAVAIL), "OSErrAddrNotAvail"},
	{errnoIs(syscall.EPIPE), "OSErrPipeClosed"},
	{errnoIs(syscall.ECONNRESET), "OSErrConnReset"},
	{errnoIs(syscall.EHOSTUNREACH, syscall.ENETUNREACH), "OSErrUnreachable"},
	{isDNSNotFound, "OSErrNoSuchHost"},
	{isTimeout, "OSErrTimeout"},
	{func(err error) bool { return errors.Is(err, context.Canceled) }, "OSErrCanceled"},
	{func(err error) bool { return errors.Is(err, fs.ErrNotExist) }, "OSErrNotExist"},
	{func(err error) bool { return errors.Is(err, fs.ErrPermission) }, "OSErrPermission"},
	{func(err error) bool { return errors.Is(err, fs.ErrExist) }, "OSErrExist"},
}

func errnoIs(ns ...syscall.Errno) func(error) bool {
	return func(err error) bool {
		var e syscall.Errno
		if !errors.As(err, &e) {
			return false
		}
		for _, n := range ns {
			if e == n {
				return true
			}
		}
		return false
	}
}

func isDNSNotFound(err error) bool {
	var d *net.DNSError
	return errors.As(err, &d) && d.IsNotFound
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// osErrSubject is the file or address err names, "" if none.
func osErrSubject(err error) string {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Old + " → " + le.New // which one is missing, full or locked, the kind does not say
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path
	}
	var d *net.DNSError
	if errors.As(err, &d) {
		return d.Name
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		if oe.Addr != nil {
			return oe.Addr.String()
		}
		if oe.Source != nil {
			return oe.Source.String()
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			return u.Host
		}
	}
	return ""
}

// Err renders err for a reader of l's language: vpclab's own errors
// (Error) in that language, the operating system's by kind (osErrKinds).
func (l *Localizer) Err(err error) string {
	if err == nil {
		return ""
	}
	if l.lang == EN {
		return err.Error()
	}
	var own *Error
	if errors.As(err, &own) {
		return l.T(own.ID, own.Data)
	}
	for _, k := range osErrKinds {
		if !k.is(err) {
			continue
		}
		if s := osErrSubject(err); s != "" {
			return l.T(k.id, M{"Subject": s})
		}
		return l.T(k.id + "Bare")
	}
	return err.Error()
}

// Error is an error vpclab itself words: it has a message in the
// catalogs, so it is shown in the reader's language wherever it ends up
// (Error is the English). Err, if any, is what it wraps, for errors.Is.
type Error struct {
	ID   string
	Data M
	Err  error
}

// NewError returns an *Error for message id.
func NewError(id string, data M, wrapped error) error {
	return &Error{ID: id, Data: data, Err: wrapped}
}

func (e *Error) Error() string { return New(EN).T(e.ID, e.Data) }
func (e *Error) Unwrap() error { return e.Err }
