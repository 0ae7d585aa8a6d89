package content

import (
	"cmp"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/vpclab/vpclab/i18n"
)

// Lab is one lab folder: the same lab in each language.
type Lab struct {
	ID    string // the folder's name; front matter id must match it
	Dir   string // the folder, as the user named it (for messages)
	Pages map[i18n.Lang]*Page
}

// Page returns the lab in lang, falling back to the other language when a
// translation is missing (the linter reports that separately).
func (l *Lab) Page(lang i18n.Lang) *Page {
	if p := l.Pages[lang]; p != nil {
		return p
	}
	return l.Pages[lang.Other()]
}

// Checks lists the lab's check blocks in document order, from the English
// page when there is one (the blocks are the same in both languages).
func (l *Lab) Checks() []*CheckBlock {
	p := l.Page(i18n.EN)
	if p == nil {
		return nil
	}
	var out []*CheckBlock
	for _, s := range p.Steps {
		out = append(out, s.Checks...)
	}
	return out
}

// Page is one language's Markdown file of a lab.
type Page struct {
	Path   string
	Lang   i18n.Lang
	Source []byte
	Doc    ast.Node // goldmark's AST, for the site renderer
	// Unread: the file could not be read or was refused whole (too large,
	// not a regular file); the page is a placeholder, and comparing it
	// with the other language would only repeat that finding.
	Unread bool

	Meta     FrontMatter
	MetaPos  Pos      // the front matter block (the opening ---)
	MetaYAML *Mapping // as written, for cross-language comparison

	Steps []*Step
	Links []Link
	// Blocks outside any step (before the first ## heading) that ought to
	// be inside one; kept so the linter can point at them.
	Stray []Pos

	lines    *lineIndex
	released bool      // ReleaseSources
	yaml     yamlCache // while the page is parsed
}

// Released reports whether ReleaseSources dropped the page's Markdown:
// it can no longer be rendered.
func (p *Page) Released() bool { return p.released }

// StepByID returns the step with id.
func (p *Page) StepByID(id string) *Step {
	for _, s := range p.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// FrontMatter is the lab's metadata.
type FrontMatter struct {
	ID            string
	Title         string
	Summary       string
	Level         string // beginner, intermediate, advanced
	Duration      int    // minutes
	Cost          Cost
	Services      []string
	Prerequisites []string
	Region        string // suggested region
}

// Cost is what the lab's resources cost while they run.
type Cost struct {
	USDPerHour float64
	Region     string // the region the figure assumes
}

// Step is a ## section of a lab, with its stable id. Only a section with
// checks is a step a learner does (IsStep); the others are for reading.
type Step struct {
	ID    string
	Title string
	Pos   Pos
	Attrs map[string]string // other heading attributes, e.g. sandbox="…"
	// Role is the heading's role= attribute: RoleRequired when absent.
	Role     StepRole
	Checks   []*CheckBlock
	Solution []*CodeBlock
	Cleanup  []*CodeBlock
	// Mutations are ```mutations blocks: the step's declarations for
	// vpclab test --mutate (equivalent mutants, with reasons).
	Mutations []*CodeBlock
}

// StepRole is what a step is for on a learner's way through a lab.
type StepRole string

const (
	// RoleRequired steps make the lab: the learner does them in order.
	RoleRequired StepRole = "required"
	// RoleOptional steps go further; they never hold a learner up.
	RoleOptional StepRole = "optional"
	// RoleCleanup is the clean-up phase: judged once the required steps
	// are done, it completes the lab.
	RoleCleanup StepRole = "cleanup"
)

// StepRoles are the values role= may take, in the order documented.
var StepRoles = []StepRole{RoleRequired, RoleOptional, RoleCleanup}

// IsStep reports whether the section is a step: it has checks. A section
// without checks (an overview, troubleshooting) is not numbered and is
// neither done nor pending.
func (s *Step) IsStep() bool { return len(s.Checks) > 0 }

// Sandbox is the reason the step cannot be done on the sandbox, or "":
// the heading's sandbox attribute, or the reason of its solution blocks
// when every one of them is marked (nothing of the step can run there).
func (s *Step) Sandbox() string {
	if r, ok := s.Attrs["sandbox"]; ok {
		return r
	}
	reason := ""
	for _, b := range s.Solution {
		r, ok := b.Attrs["sandbox"]
		if !ok {
			return ""
		}
		reason = cmp.Or(reason, r)
	}
	return reason
}

// Number is the step's number as learners see it (1 for the first step
// with checks), 0 for a section.
func (p *Page) Number(s *Step) int {
	n := 0
	for _, o := range p.Steps {
		if o.IsStep() {
			n++
		}
		if o == s {
			if !s.IsStep() {
				return 0
			}
			return n
		}
	}
	return 0
}

// CheckBlock is a ```check block: one assertion about the learner's account.
type CheckBlock struct {
	ID      string
	Kind    string
	Params  *Mapping // the kind's parameters (every key but the reserved ones)
	Timeout time.Duration
	Retry   time.Duration
	Needs   []string // ids of checks that must pass first
	Raw     string   // the block's exact text, for cross-language comparison
	Pos     Pos      // the opening fence
	Lines   []Pos    // where each line of the body starts
	Body    *Mapping // everything, reserved keys included
	Step    *Step
	Node    *ast.FencedCodeBlock
	info    int // InfoStart+1 once the tree is released (see ReleaseTrees)
}

// InfoStart is where the block's info string starts in its page's Source:
// the site finds the block in its own parse of the page by it. ok is false
// for a block without one (a hand-built block in a test).
func (c *CheckBlock) InfoStart() (start int, ok bool) { return infoStart(c.Node, c.info) }

// ReservedCheckKeys are the check-block keys that every kind shares.
var ReservedCheckKeys = []Field{
	{Name: "id", Type: String, Required: true, Doc: "unique in the lab, lowercase words joined by hyphens"},
	{Name: "kind", Type: String, Required: true, Doc: "a registered check kind"},
	{Name: "timeout", Type: Duration, Doc: "how long a failing check may be retried while AWS settles (e.g. 5m)"},
	{Name: "retry", Type: Duration, Doc: "the pause between retries (e.g. 15s)"},
	{Name: "needs", Type: Strings, Doc: "checks that must pass first; if one fails this one is skipped"},
}

// Role says what a runnable code block is for.
type Role string

const (
	Solution Role = "solution" // completes its step
	Cleanup  Role = "cleanup"  // tears the lab down
)

// CodeBlock is a ```bash {solution} or {cleanup} block.
type CodeBlock struct {
	Lang  string
	Role  Role
	Code  string
	Pos   Pos // the opening fence
	Lines []Pos
	Attrs map[string]string
	Node  *ast.FencedCodeBlock
	info  int // InfoStart+1 once the tree is released (see ReleaseTrees)
}

// InfoStart is as CheckBlock.InfoStart.
func (c *CodeBlock) InfoStart() (start int, ok bool) { return infoStart(c.Node, c.info) }

func infoStart(n *ast.FencedCodeBlock, released int) (int, bool) {
	if n != nil && n.Info != nil {
		return n.Info.Segment.Start, true
	}
	return released - 1, released > 0
}

// ReleaseTrees drops the pages' syntax trees (Page.Doc and the blocks'
// Node) once lint, and a build's render of the lab, have read them (a
// server parses each page again as it renders it): for a large site they
// are most of the memory held while it is written. InfoStart still
// answers after it.
func ReleaseTrees(labs []*Lab) {
	for _, l := range labs {
		for _, p := range l.Pages {
			p.Doc = nil
			for _, s := range p.Steps {
				for _, c := range s.Checks {
					c.info, _ = plusOne(c.InfoStart())
					c.Node = nil
				}
				for _, group := range [][]*CodeBlock{s.Solution, s.Cleanup, s.Mutations} {
					for _, c := range group {
						c.info, _ = plusOne(c.InfoStart())
						c.Node = nil
					}
				}
			}
		}
	}
}

// ReleaseSources keeps only a lab's outline: its id, the pages' front
// matter and steps (ids, titles, roles, attributes), and each check's id,
// kind, needs and limits. The pages' Markdown and trees, the check blocks'
// YAML and the commands are dropped. A site build calls it once a lab's
// pages are written: the lists and badges still to come need no more, and
// 300 labs' sources and YAML were most of the heap the collector marked
// again and again. InfoStart still answers after it.
func ReleaseSources(l *Lab) {
	ReleaseTrees([]*Lab{l})
	for _, p := range l.Pages {
		p.Source, p.MetaYAML, p.Links, p.Stray, p.lines = nil, nil, nil, nil, nil
		p.released = true
		for _, s := range p.Steps {
			for _, c := range s.Checks {
				c.Params, c.Body, c.Raw, c.Lines = nil, nil, "", nil
			}
			for _, group := range [][]*CodeBlock{s.Solution, s.Cleanup, s.Mutations} {
				for _, c := range group {
					c.Code, c.Lines = "", nil
				}
			}
		}
	}
}

func plusOne(start int, ok bool) (int, bool) {
	if !ok {
		return 0, false
	}
	return start + 1, true
}

// Link is a link or image destination in the page's text.
type Link struct {
	Dest  string
	Image bool
	Pos   Pos
}
