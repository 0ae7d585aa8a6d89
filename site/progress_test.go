package site

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/progress"
	"github.com/vpclab/vpclab/site/badge"
)

func TestProgressStates(t *testing.T) {
	labs := demoLabs(t)
	demo := labs[0] // two steps: create-vpc (vpc-exists, igw-attached), route-it (default-route)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	other := func(r progress.Record) progress.Record { r.Account = "999999999999"; return r }
	all := func(st progress.Status, at time.Time) []progress.Record {
		return []progress.Record{rec("demo", "create-vpc", "vpc-exists", st, at), rec("demo", "create-vpc", "igw-attached", st, at),
			rec("demo", "route-it", "default-route", st, at)}
	}
	tests := []struct {
		name          string
		recs          []progress.Record
		state         State
		done, failing int
	}{
		{"nothing recorded", nil, NotStarted, 0, 0},
		{"another lab only", []progress.Record{rec("other", "s", "c", progress.StatusPass, t0)}, NotStarted, 0, 0},
		{"half a step", []progress.Record{rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0)}, InProgress, 0, 0},
		{"errors only are not a start", []progress.Record{rec("demo", "create-vpc", "vpc-exists", progress.StatusError, t0)}, NotStarted, 0, 0},
		{"not reached is no failure", append(all(progress.StatusFail, t0),
			rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t1), rec("demo", "create-vpc", "igw-attached", progress.StatusWarn, t1)), InProgress, 1, 0},
		{"a warning counts as done; no clean-up check: complete", append(all(progress.StatusPass, t0),
			rec("demo", "create-vpc", "igw-attached", progress.StatusWarn, t0)), Done, 2, 0},
		{"a done step broken again is failing", []progress.Record{
			rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0), rec("demo", "create-vpc", "igw-attached", progress.StatusPass, t0),
			rec("demo", "create-vpc", "vpc-exists", progress.StatusFail, t1)}, Failing, 1, 1},
		{"cleaned up after finishing: still done", append(all(progress.StatusPass, t0), all(progress.StatusFail, t1)...), Done, 2, 0},
		{"checks the lab no longer has are ignored", []progress.Record{
			rec("demo", "gone", "old-check", progress.StatusFail, t0),
			rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0)}, InProgress, 0, 0},
		{"the latest account wins", []progress.Record{
			other(rec("demo", "route-it", "default-route", progress.StatusPass, t0)),
			rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0.Add(time.Hour))}, InProgress, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lp := ProgressOf(demo, record(t, tt.recs...))
			if lp.State != tt.state || lp.Done != tt.done || lp.Failing != tt.failing || lp.Total != 2 {
				t.Errorf("got %s %d done of %d, failing step %d; want %s %d done of 2, failing %d", lp.State, lp.Done, lp.Total, lp.Failing, tt.state, tt.done, tt.failing)
			}
		})
	}
	if lp := ProgressOf(demo, nil); lp.State != NotStarted {
		t.Errorf("nil progress: %s", lp.State)
	}
}

func TestOverall(t *testing.T) {
	labs := demoLabs(t) // demo has 3 checks, other none
	t0 := time.Now()
	if o := OverallOf(labs, nil); o.State != NotStarted || o.Total != 2 {
		t.Errorf("nothing: %+v", o)
	}
	o := OverallOf(labs, record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0)))
	if o.State != InProgress || o.Done != 0 {
		t.Errorf("one check: %+v", o)
	}
	o = OverallOf(labs, record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusFail, t0)))
	if o.State != NotStarted {
		t.Errorf("a failing first check is not a start: %+v", o)
	}
	o = OverallOf(labs, record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0),
		rec("demo", "create-vpc", "igw-attached", progress.StatusPass, t0), rec("demo", "create-vpc", "igw-attached", progress.StatusFail, t0.Add(time.Minute))))
	if o.State != Failing {
		t.Errorf("a regression: %+v", o)
	}
}

func TestBadgeColorsAndWords(t *testing.T) {
	demo := demoLabs(t)[0]
	t0 := time.Now()
	t1 := t0.Add(time.Minute)
	cases := []struct {
		prog  *progress.Progress
		color badge.Color
		value string // with the messages merged
	}{
		{nil, badge.Grey, "not started"},
		{record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusFail, t0)), badge.Grey, "not started"},
		{record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0)), badge.Blue, "0 / 2 steps"},
		{record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0),
			rec("demo", "create-vpc", "igw-attached", progress.StatusPass, t0),
			rec("demo", "route-it", "default-route", progress.StatusFail, t0)), badge.Blue, "1 / 2 steps"},
		{record(t, rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0),
			rec("demo", "create-vpc", "igw-attached", progress.StatusPass, t0),
			rec("demo", "create-vpc", "igw-attached", progress.StatusFail, t1)), badge.Red, "step 1: failing"},
		{record(t,
			rec("demo", "create-vpc", "vpc-exists", progress.StatusPass, t0),
			rec("demo", "create-vpc", "igw-attached", progress.StatusPass, t0),
			rec("demo", "route-it", "default-route", progress.StatusPass, t0),
			rec("demo", "route-it", "default-route", progress.StatusFail, t1)), badge.Green, "done"},
	}
	for _, c := range cases {
		for _, lang := range i18n.Langs {
			b := LabBadge(demo, lang, c.prog)
			if b.Color != c.color || b.Label != "demo" {
				t.Errorf("%s: badge %+v, want colour %s", lang, b, c.color)
			}
			text := svgText(t, b.SVG())
			if !strings.Contains(text, "demo") || !strings.Contains(text, b.Value) {
				t.Errorf("SVG text %q lacks the label or %q", text, b.Value)
			}
			if lang == i18n.EN && merged(t) && b.Value != c.value {
				t.Errorf("value %q, want %q", b.Value, c.value)
			}
		}
	}
	ja := LabBadge(demo, i18n.JA, nil)
	en := LabBadge(demo, i18n.EN, nil)
	if merged(t) && (ja.Value != "未着手" || ja.Width() >= en.Width()+30) {
		t.Errorf("Japanese badge %q is %dpx, English %q %dpx", ja.Value, ja.Width(), en.Value, en.Width())
	}
	ob := OverallBadge(demoLabs(t), i18n.JA, nil)
	svgText(t, ob.SVG())
}

// svgText checks that svg is well-formed XML and returns its text.
func svgText(t *testing.T, svg []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return text.String()
		}
		if err != nil {
			t.Fatalf("badge is not well-formed XML: %v\n%s", err, svg)
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.Write(cd)
			text.WriteByte('|')
		}
	}
}

func TestBadgeFiles(t *testing.T) {
	s, _ := New(demoLabs(t), Options{})
	for _, name := range []string{"badges/demo.en.svg", "badges/demo.ja.svg", "badges/overall.en.svg", "badges/overall.ja.svg"} {
		data, err := s.File(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		svgText(t, data)
		if !bytes.HasPrefix(data, []byte("<svg ")) {
			t.Errorf("%s does not start with <svg", name)
		}
	}
}
