package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/vpclab/vpclab/i18n"
)

// A CSV roster has a header row naming its columns, in any order and case;
// name and region are required, and role_arn or profile (or both, each row
// filling one). Lines starting with # are comments. A UTF-8 byte order
// mark, as spreadsheet programs write, is ignored:
//
//	name,role_arn,external_id,profile,region
//	Aiko Tanaka,arn:aws:iam::111111111111:role/vpclab-class,spring-26,,ap-northeast-1
//	Ben Carter,,,ben-lab,us-east-1
func (p *parser) csv(data []byte) []Learner {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		p.fail(line, "RosterNotUTF8", nil)
		return nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = -1 // counted here, to say which row is wrong
	r.TrimLeadingSpace = true

	header, err := r.Read()
	if err == io.EOF {
		p.fail(0, "RosterEmpty", nil)
		return nil
	}
	if err != nil {
		p.csvError(err)
		return nil
	}
	headerLine, _ := r.FieldPos(0)
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if first, dup := cols[h]; dup {
			p.fail(headerLine, "RosterDuplicateColumn", i18n.M{"Column": h, "First": first + 1})
			continue
		}
		if p.field(h, headerLine) {
			cols[h] = i
		}
	}
	for _, need := range []string{"name", "region"} {
		if _, ok := cols[need]; !ok {
			p.fail(headerLine, "RosterMissingColumn", i18n.M{"Column": need})
		}
	}
	_, hasRole := cols["role_arn"]
	_, hasProfile := cols["profile"]
	if !hasRole && !hasProfile {
		p.fail(headerLine, "RosterMissingAccessColumn", nil)
	}
	if len(p.errs) > 0 {
		return nil
	}

	var out []Learner
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.csvError(err)
			return nil
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			p.fail(line, "RosterFieldCount", i18n.M{"Got": len(rec), "Want": len(header)})
			continue
		}
		get := func(col string) string {
			i, ok := cols[col]
			if !ok {
				return ""
			}
			v := strings.TrimSpace(rec[i])
			p.value(v, line)
			return v
		}
		out = append(out, Learner{Name: get("name"), RoleARN: get("role_arn"), ExternalID: get("external_id"),
			Profile: get("profile"), Region: get("region"), Line: line})
	}
	return out
}

func (p *parser) csvError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		p.fail(pe.Line, "RosterCSVSyntax", i18n.M{"Detail": pe.Err.Error()})
		return
	}
	p.fail(0, "RosterCSVSyntax", i18n.M{"Detail": err.Error()})
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
