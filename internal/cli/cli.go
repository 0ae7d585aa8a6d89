// Package cli is the vpclab command line: a table of commands over the
// standard flag package, every string localized.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/text/width"

	"github.com/vpclab/vpclab/content"
	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/awsx"
	"github.com/vpclab/vpclab/internal/gcfloor"
)

// Exit codes that scripts can rely on.
const (
	ExitOK    = 0 // success: lint clean, every check passed
	ExitFail  = 1 // findings, or a check failed
	ExitUsage = 2 // the command line was wrong
	ExitAWS   = 3 // credentials, permissions or AWS unreachable
	// ExitInterrupted: Ctrl-C or SIGTERM stopped a command before it
	// finished (128 + SIGINT, as shells report it).
	ExitInterrupted = 130
	// ExitOutput: the command's output could not be written (a full
	// disk, a closed standard output) and nothing else went wrong: a
	// report or policy a script redirected to a file is lost, which must
	// not look like success.
	ExitOutput = 4
)

// Version is set at build time with -ldflags "-X …cli.Version=v1.2.3".
var Version = "dev"

// Env is what a command may touch of the outside world, so tests can run
// commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Dir    string // working directory ("" = the process's)
	// Ctx is cancelled on Ctrl-C, SIGTERM or SIGHUP.
	Ctx context.Context
	Loc *i18n.Localizer
}

// command is one subcommand.
type command struct {
	name string
	// run parses its own flags from fs (already holding --lang) and args.
	run func(env *Env, fs *flag.FlagSet, args []string) int
	// hidden commands are for vpclab's own tests.
	hidden bool
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// interruptGrace is how long a command has to wind up (stop moto, remove a
// half-written site) after Ctrl-C, SIGTERM or SIGHUP before the process exits
// anyway.
const interruptGrace = 15 * time.Second

// Main runs vpclab with the process's arguments and environment.
func Main() int {
	gcfloor.Start(gcFloor)
	// A closed terminal or dropped SSH session (SIGHUP) winds up like
	// Ctrl-C: moto stopped, temporary folders and export files removed.
	// Under nohup SIGHUP is ignored, and must stay so.
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	ctx, stop := signal.NotifyContext(context.Background(), sigs...)
	defer stop()
	go func() {
		<-ctx.Done()
		// Commands stop at their next look at ctx, but one stuck in work
		// that never looks (a pathological page in the parser) must not
		// make Ctrl-C useless: from now on a second signal kills at once,
		// as it does by default, and after the grace the process exits.
		stop()
		time.Sleep(interruptGrace)
		lang, _ := i18n.Detect(scanLang(os.Args[1:]), os.Getenv)
		fmt.Fprintln(os.Stderr, i18n.New(lang).T("CLIInterrupted"))
		os.Exit(ExitInterrupted)
	}()
	stdout, flushOut := forTerminal(os.Stdout, os.Getenv)
	stderr, flushErr := forTerminal(os.Stderr, os.Getenv)
	defer flushErr()
	defer flushOut()
	return Run(os.Args[1:], &Env{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, Ctx: ctx})
}

// Run runs one command line.
func Run(args []string, env *Env) int {
	if env.Ctx == nil {
		env.Ctx = context.Background()
	}
	lang, err := i18n.Detect(scanLang(args), env.Getenv)
	env.Loc = i18n.New(lang)
	if err != nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("CLIBadLang", i18n.M{"Lang": scanLang(args)}))
		return ExitUsage
	}
	args = dropLang(args)
	args, debug := dropDebug(args)
	awsx.SetDebug(nil)
	if debug {
		awsx.SetDebug(env.Stderr) // the SDK's own log lines, for bug reports
	}
	if len(args) == 0 {
		usage(env, env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintln(env.Stderr, env.Loc.T("CLIUnknownCommand", i18n.M{"Command": args[1], "Suggest": suggestCommand(args[1])}))
				usage(env, env.Stderr)
				return ExitUsage
			}
			return c.run(env, newFlags(env, c.name), []string{"--help"})
		}
		usage(env, env.Stdout)
		return ExitOK
	case "-version", "--version", "version":
		fmt.Fprintln(env.Stdout, "vpclab", Version)
		return ExitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintln(env.Stderr, env.Loc.T("CLIUnknownCommand", i18n.M{"Command": args[0], "Suggest": suggestCommand(args[0])}))
		usage(env, env.Stderr)
		return ExitUsage
	}
	out := &outWriter{w: env.Stdout}
	env.Stdout = out
	code := c.run(env, newFlags(env, c.name), args[1:])
	env.Stdout = out.w
	// Lost output is said in any case; its exit code 4 only replaces a
	// success (a verdict of 1 or 3 still says what is wrong), and a
	// command interrupted (a closed terminal) exits 130 below.
	if err := out.failed(); err != nil && env.Ctx.Err() == nil {
		fmt.Fprintln(env.Stderr, env.Loc.T("CLIOutputFailed", i18n.M{"Err": err}))
		if code == ExitOK {
			return ExitOutput
		}
	}
	if code != ExitOK && code != ExitInterrupted && env.Ctx.Err() != nil {
		// A verdict cut short is no verdict: not "failed", not "AWS
		// unreachable". Servers stopped this way have already returned 0.
		fmt.Fprintln(env.Stderr, env.Loc.T("CLIInterrupted"))
		return ExitInterrupted
	}
	return code
}

// scanLang finds --lang before flags are parsed, because the flags' own
// help text depends on it.
func scanLang(args []string) string {
	for i, a := range args {
		a = strings.TrimLeft(a, "-")
		if v, ok := strings.CutPrefix(a, "lang="); ok {
			return v
		}
		if a == "lang" && i+1 < len(args) {
			return args[i+1]
		}
		if a == "" { // "--" ends the flags
			break
		}
	}
	return ""
}

// dropLang removes a global --lang given before the command name.
func dropLang(args []string) []string {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := strings.TrimLeft(args[0], "-")
		switch {
		case strings.HasPrefix(a, "lang="):
			args = args[1:]
		case a == "lang" && len(args) > 1:
			args = args[2:]
		default:
			return args
		}
	}
	return args
}

// dropDebug removes --debug wherever it is (before a "--"), so that every
// command takes it.
func dropDebug(args []string) ([]string, bool) {
	out := make([]string, 0, len(args))
	debug := false
	for i, a := range args {
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		if a == "--debug" || a == "-debug" {
			debug = true
			continue
		}
		out = append(out, a)
	}
	return out, debug
}

// newFlags returns a flag set whose help is the command's localized
// description followed by its flags.
func newFlags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("vpclab "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // we print errors and help ourselves, localized
	fs.String("lang", "", env.Loc.T("FlagLang"))
	return fs
}

// parse parses flags; it returns false and the exit code when the command
// should stop (help was asked for, or the flags were wrong).
func parse(env *Env, fs *flag.FlagSet, args []string, name string) (bool, int) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(env, env.Stdout, fs, name)
		return false, ExitOK
	}
	if err != nil {
		msg, hint := flagError(env, err), ""
		if unit := durationHint(env, fs, err); unit != "" {
			msg = unit // instead of the flag package's "parse error"
		} else {
			hint = flagHint(env, fs, err)
		}
		fmt.Fprintln(env.Stderr, env.Loc.T("CLIBadFlags", i18n.M{"Command": name, "Err": msg}))
		if hint != "" {
			fmt.Fprintln(env.Stderr, hint)
		}
		fmt.Fprintln(env.Stderr, env.Loc.T("CLISeeHelp", i18n.M{"Command": name}))
		return false, ExitUsage
	}
	return true, ExitOK
}

var (
	badValue   = regexp.MustCompile(`^invalid value "([^"]*)" for flag -([\w-]+)`)
	undefined  = regexp.MustCompile(`^flag provided but not defined: -+([\w-]+)`)
	noArgument = regexp.MustCompile(`^flag needs an argument: -+([\w-]+)`)
	bareNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

// durationHint words a duration the flag package refused as what to type
// instead, or "": one without a unit ("--wait 5": 5m or 5s), or one with
// its unit spelt out ("5分", "５分", "5 min", "2 hours": 5m, 2h), which
// learners type as they would say it.
func durationHint(env *Env, fs *flag.FlagSet, err error) string {
	m := badValue.FindStringSubmatch(err.Error())
	if m == nil {
		return ""
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return ""
	}
	if g, ok := f.Value.(flag.Getter); !ok {
		return ""
	} else if _, isDur := g.Get().(time.Duration); !isDur {
		return ""
	}
	v := strings.TrimSpace(width.Narrow.String(m[1]))
	if bareNumber.MatchString(v) {
		return env.Loc.T("HardenFlagDurationUnit", i18n.M{"Flag": m[2], "Value": v})
	}
	if w := spelledDuration(v); w != "" {
		return env.Loc.T("HardenFlagDurationSpelled", i18n.M{"Flag": m[2], "Value": m[1], "Want": w})
	}
	return ""
}

var numberWord = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*(\pL+)$`)

// durationUnits are unit words and the letter a Go duration uses.
var durationUnits = map[string]string{
	"秒": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
	"分": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
	"時間": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"s": "s", "m": "m", "h": "h",
}

// spelledDuration is v ("5分", "5 min") as a Go duration ("5m"), or "".
func spelledDuration(v string) string {
	m := numberWord.FindStringSubmatch(v)
	if m == nil {
		return ""
	}
	unit, ok := durationUnits[strings.ToLower(m[2])]
	if !ok {
		return ""
	}
	w := m[1] + unit
	if _, err := time.ParseDuration(w); err != nil {
		return ""
	}
	return w
}

// flagError words the flag package's errors (English) in the reader's
// language; anything else is left as it is.
func flagError(env *Env, err error) string {
	s := err.Error()
	if m := undefined.FindStringSubmatch(s); m != nil {
		return env.Loc.T("CLIFlagUnknown", i18n.M{"Flag": m[1]})
	}
	if m := noArgument.FindStringSubmatch(s); m != nil {
		return env.Loc.T("CLIFlagNoValue", i18n.M{"Flag": m[1]})
	}
	if m := badValue.FindStringSubmatch(s); m != nil {
		return env.Loc.T("CLIFlagBadValue", i18n.M{"Flag": m[2], "Value": m[1]})
	}
	return s
}

// flagHint names the closest flag to a misspelt one, or "".
func flagHint(env *Env, fs *flag.FlagSet, err error) string {
	if m := undefined.FindStringSubmatch(err.Error()); m != nil {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if best := content.Suggest(m[1], names); best != "" {
			return env.Loc.T("HardenFlagDidYouMean", i18n.M{"Flag": dashed(best)})
		}
	}
	return ""
}

// suggestCommand is the visible command closest to a misspelt one, or "".
func suggestCommand(name string) string {
	var names []string
	for n, c := range commands {
		if !c.hidden {
			names = append(names, n)
		}
	}
	slices.Sort(names) // the same answer every time when two are as close
	return content.Suggest(name, names)
}

// dashed writes a flag as usage lines show it: -o, --content.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

func usageError(env *Env, name, msgID string, data i18n.M) int {
	fmt.Fprintln(env.Stderr, env.Loc.T(msgID, data))
	fmt.Fprintln(env.Stderr, env.Loc.T("CLISeeHelp", i18n.M{"Command": name}))
	return ExitUsage
}

// msgID turns a command name into the CamelCase part of its message IDs.
func msgID(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func commandHelp(env *Env, w io.Writer, fs *flag.FlagSet, name string) {
	id := msgID(name)
	fmt.Fprintf(w, "%s\n\n%s\n\n", env.Loc.T("Cmd"+id+"Usage"), env.Loc.T("Cmd"+id+"Help"))
	fmt.Fprintln(w, env.Loc.T("CLIFlags"))
	fs.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if len(f.Name) == 1 {
			head = "  -" + f.Name // -o, as users type it
		}
		if arg != "" {
			head += " " + arg
		}
		fmt.Fprintf(w, "%s\n    \t%s", head, strings.ReplaceAll(text, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (%s)", env.Loc.T("CLIDefault", i18n.M{"Value": f.DefValue}))
		}
		fmt.Fprintln(w)
	})
	if ex := env.Loc.T("Cmd" + id + "Examples"); !strings.HasPrefix(ex, "[") {
		fmt.Fprintf(w, "\n%s\n%s\n", env.Loc.T("CLIExamples"), ex)
	}
}

func usage(env *Env, w io.Writer) {
	fmt.Fprintln(w, env.Loc.T("CLIUsage"))
	fmt.Fprintln(w)
	fmt.Fprintln(w, env.Loc.T("CLICommands"))
	var names []string
	for n, c := range commands {
		if !c.hidden {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, env.Loc.T("Cmd"+msgID(n)+"Summary"))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, env.Loc.T("CLIFooter"))
}

// outWriter is standard output, remembering the first write that failed.
type outWriter struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

func (o *outWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil {
		o.mu.Lock()
		if o.err == nil {
			o.err = err
		}
		o.mu.Unlock()
	}
	return n, err
}

// Unwrap is the writer outWriter watches.
func (o *outWriter) Unwrap() io.Writer { return o.w }

// underlying is w without vpclab's wrappers (outWriter, a terminal's
// encoder): the file itself, for a child process to inherit.
func underlying(w io.Writer) io.Writer {
	for {
		u, ok := w.(interface{ Unwrap() io.Writer })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}

func (o *outWriter) failed() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}
