// Package roster reads a class roster: for each learner a display name and
// how to reach their AWS account (a role to assume, with an optional
// external id, or a named profile) and the region their lab is in.
//
// A roster is YAML or CSV, told apart by the file's extension. It holds no
// secrets, and Parse refuses anything that looks like one. Every problem is
// reported with the file and line it is on, all of them at once, so an
// instructor fixes a roster of a hundred rows in one pass.
package roster

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/regions"
)

// Learner is one row of a roster.
type Learner struct {
	// Name is how the class dashboard shows the learner. It is free text
	// (any script, any characters); renderers escape it.
	Name string
	// RoleARN is the role to assume in the learner's account; ExternalID,
	// when set, is passed with it. Exactly one of RoleARN and Profile is set.
	RoleARN    string
	ExternalID string
	// Profile is a named profile of the instructor's AWS config.
	Profile string
	// Region is where the learner's lab is.
	Region string
	// Line is where the learner is in the roster file (1-based).
	Line int
}

// Account is the account id in RoleARN, or "" for a profile: a profile's
// account is known only once it is used.
func (l Learner) Account() string {
	account, _ := parseRoleARN(l.RoleARN)
	return account
}

// Roster is a parsed roster file.
type Roster struct {
	Path     string
	Learners []Learner
}

// Error is one problem in a roster, at a line of its file (Line 0: the
// file as a whole).
type Error struct {
	Path string
	Line int
	Msg  i18n.Msg
}

// Localize words the problem in loc's language, as path:line: message.
func (e *Error) Localize(loc *i18n.Localizer) string {
	text := loc.T(e.Msg.ID, e.Msg.Data)
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, text)
	}
	return e.Path + ": " + text
}

// Error is the English wording, for logs and tests.
func (e *Error) Error() string { return e.Localize(i18n.New(i18n.EN)) }

// Errors is every problem found in a roster, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Localize words every problem in loc's language, one per line.
func (es Errors) Localize(loc *i18n.Localizer) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Localize(loc)
	}
	return strings.Join(lines, "\n")
}

// MaxSize bounds a roster file: a class of thousands of learners fits in a
// few hundred kilobytes, and a YAML parser needs tens of times a file's
// size in memory, so a mistaken file (a log, a dump) is refused up front.
const MaxSize = 1 << 20

// MaxName is the longest learner name, in characters: a person's name, a
// seat number or an e-mail address fit many times over.
const MaxName = 200

// Load reads and parses the roster at path. The error, if any, is Errors.
func Load(path string) (*Roster, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Errors{{Path: path, Msg: i18n.Msg{ID: "RosterUnreadable", Data: i18n.M{"Err": unwrapPathError(err)}}}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, Errors{{Path: path, Msg: i18n.Msg{ID: "RosterUnreadable", Data: i18n.M{"Err": unwrapPathError(err)}}}}
	}
	return Parse(path, data)
}

func unwrapPathError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse parses a roster; path's extension picks the format (.yaml, .yml or
// .csv) and names the file in errors. The error, if any, is Errors, and
// then the roster is nil.
func Parse(path string, data []byte) (*Roster, error) {
	p := &parser{path: path}
	if len(data) > MaxSize {
		p.fail(0, "RosterTooLarge", i18n.M{"Max": MaxSize >> 10})
		return nil, p.errs
	}
	// Windows editors (Notepad, Excel) start UTF-8 files with a byte
	// order mark; it is no part of the first key or column.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var learners []Learner
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		learners = p.yaml(data)
	case ".csv":
		learners = p.csv(data)
	default:
		p.fail(0, "RosterUnknownFormat", i18n.M{"Ext": filepath.Ext(path)})
		return nil, p.errs
	}
	if len(learners) > 0 || len(p.errs) == 0 {
		p.checkAll(learners)
	}
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
		return nil, p.errs
	}
	return &Roster{Path: path, Learners: learners}, nil
}

type parser struct {
	path string
	errs Errors
	// fieldLines are where each learner's fields are written (YAML puts
	// them on lines of their own), by the learner's index.
	fieldLines map[int]map[string]int
	// broken learners had a field that could not be read; checking them
	// further would only repeat the same mistake in other words.
	broken map[int]bool
}

// at is the line of learner i's field, or of the learner.
func (p *parser) at(i int, l Learner, field string) int {
	if n := p.fieldLines[i][field]; n > 0 {
		return n
	}
	return l.Line
}

func (p *parser) fail(line int, id string, data i18n.M) {
	for k, v := range data {
		if s, ok := v.(string); ok {
			data[k] = printable(s)
		}
	}
	p.errs = append(p.errs, &Error{Path: p.path, Line: line, Msg: i18n.Msg{ID: id, Data: data}})
}

// printable escapes the control and other unprintable characters of a
// value taken from the roster (as Go would write them: \n, \x1b), so that
// an error quoting it stays on one line and cannot forge output.
func printable(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			q := strconv.Quote(s)
			return strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
		}
	}
	return s
}

// Fields are the keys of a learner (YAML) and the columns of a roster (CSV).
var Fields = []string{"name", "role_arn", "external_id", "profile", "region"}

var (
	// roleARN: an IAM role in one of AWS's partitions (commercial, China,
	// GovCloud, the isolated regions, the European Sovereign Cloud), never
	// an invented one; the account id is group 1, the role's path and name
	// group 2 (at most maxRolePath long, checked apart: a {1,512}
	// repetition compiles to 512 copies of the class, 437 KB built at every
	// start of vpclab). \w is ASCII only, so no control character gets
	// through, and the length in bytes is the length in characters.
	roleARN = regexp.MustCompile(`^arn:(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[bef]|aws-eusc):iam::(\d{12}):role/([\w+=,.@/-]+)$`)
	// region: e.g. ap-northeast-1, us-gov-west-1, cn-north-1.
	region = regexp.MustCompile(`^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$`)
	// externalID: what sts:AssumeRole accepts (2–1224 of these; Go's
	// regexp counts to 1000 at most, so the length is checked apart).
	externalID = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	// accessKey: an AWS access key id, which has no place in a roster.
	accessKey = regexp.MustCompile(`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`)
)

// maxRolePath is the longest path and name of a role in an ARN (IAM's limit).
const maxRolePath = 512

// parseRoleARN is the account id of a valid role ARN.
func parseRoleARN(s string) (account string, ok bool) {
	m := roleARN.FindStringSubmatch(s)
	if m == nil || len(m[2]) > maxRolePath {
		return "", false
	}
	return m[1], true
}

func validRoleARN(s string) bool {
	_, ok := parseRoleARN(s)
	return ok
}

// secretWords mark a key or column that would hold a secret.
var secretWords = []string{"secret", "password", "passwd", "access_key", "accesskey", "session_token", "token", "credential"}

func looksSecret(key string) bool {
	k := strings.ToLower(key)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// field checks that key is a learner field; it reports an unknown or
// secret-looking one at line.
func (p *parser) field(key string, line int) bool {
	for _, f := range Fields {
		if key == f {
			return true
		}
	}
	if looksSecret(key) {
		p.fail(line, "RosterSecretField", i18n.M{"Field": key})
		return false
	}
	p.fail(line, "RosterUnknownField", i18n.M{"Field": key, "Known": strings.Join(Fields, ", ")})
	return false
}

// value screens a value for secrets.
func (p *parser) value(v string, line int) {
	if accessKey.MatchString(v) {
		p.fail(line, "RosterSecretValue", nil)
	}
}

// check validates learner i.
func (p *parser) check(i int, l Learner) {
	at := func(field string) int { return p.at(i, l, field) }
	if l.Name == "" {
		p.fail(l.Line, "RosterNoName", nil)
	} else if utf8.RuneCountInString(l.Name) > MaxName {
		// Names are printed on every line about the learner, twice a run.
		p.fail(at("name"), "RosterNameTooLong", i18n.M{"Max": MaxName})
	} else if printable(l.Name) != l.Name {
		// Names are printed in terminals and reports: no line breaks or
		// escape sequences.
		p.fail(at("name"), "HardenRosterNameControl", i18n.M{"Name": l.Name})
	}
	switch {
	case l.RoleARN != "" && l.Profile != "":
		p.fail(at("profile"), "RosterRoleAndProfile", i18n.M{"Name": l.Name})
	case l.RoleARN == "" && l.Profile == "":
		p.fail(l.Line, "RosterNoAccess", i18n.M{"Name": l.Name})
	case l.RoleARN != "" && !validRoleARN(l.RoleARN):
		p.fail(at("role_arn"), "RosterBadRoleARN", i18n.M{"ARN": l.RoleARN})
	}
	if l.ExternalID != "" {
		if l.RoleARN == "" {
			p.fail(at("external_id"), "RosterExternalIDWithoutRole", i18n.M{"Name": l.Name})
		} else if !ValidExternalID(l.ExternalID) {
			p.fail(at("external_id"), "RosterBadExternalID", nil)
		}
	}
	switch {
	case l.Region == "":
		p.fail(l.Line, "RosterNoRegion", i18n.M{"Name": l.Name})
	case !region.MatchString(l.Region):
		p.fail(at("region"), "RosterBadRegion", i18n.M{"Region": l.Region, "Suggest": regions.Guess(l.Region)})
	}
}

// checkAll validates every learner and the roster as a whole: names are
// unique, and no two learners are reached the same way (their results
// would overwrite each other).
func (p *parser) checkAll(learners []Learner) {
	if len(learners) == 0 {
		p.fail(0, "RosterEmpty", nil)
		return
	}
	names := map[string]int{}
	access := map[string]int{}
	for i, l := range learners {
		if !p.broken[i] {
			p.check(i, l)
		}
		if l.Name != "" {
			key := strings.ToLower(l.Name)
			if first, ok := names[key]; ok {
				p.fail(l.Line, "RosterDuplicateName", i18n.M{"Name": l.Name, "First": first})
			} else {
				names[key] = l.Line
			}
		}
		// Progress is kept per account and region, and the labs use fixed
		// names: two learners in one account and region would be one.
		how := ""
		switch {
		case l.Account() != "":
			how = "account:" + l.Account()
		case l.Profile != "":
			how = "profile:" + l.Profile
		}
		if how != "" && l.Region != "" {
			how += "@" + l.Region
			if first, ok := access[how]; ok {
				p.fail(l.Line, "RosterDuplicateAccess", i18n.M{"Name": l.Name, "First": first})
			} else {
				access[how] = l.Line
			}
		}
	}
}

var accountID = regexp.MustCompile(`^\d{12}$`)

// ValidAccountID reports whether s is an AWS account id (12 digits).
func ValidAccountID(s string) bool { return accountID.MatchString(s) }

// ValidExternalID reports whether sts:AssumeRole accepts s as an external
// id: 2 to 1224 letters, digits and +=,.@:/-_.
func ValidExternalID(s string) bool {
	return len(s) >= 2 && len(s) <= 1224 && externalID.MatchString(s)
}

// ValidRoleName reports whether IAM accepts s as a role name: 1 to 64 of
// these characters (the length apart, as for roleARN).
func ValidRoleName(s string) bool { return len(s) <= 64 && roleName.MatchString(s) }

var roleName = regexp.MustCompile(`^[\w+=,.@-]+$`)
