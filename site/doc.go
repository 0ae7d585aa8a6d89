// Package site renders the labs as a static, bilingual website that opens
// from the file system with no server and no network.
//
// # Layout
//
//	index.html                   language chooser (follows navigator.language; plain links too)
//	en/index.html, ja/index.html lab list: title, summary, level, time, cost, progress badge
//	en/<lab>/index.html, ja/…    a lab: steps with a table of contents, commands, verification cards
//	en/<lab>/<file>, ja/…        the lab folder's other files (images), when Options.LabFiles is set
//	badges/<lab>.<lang>.svg      progress badges (see LabBadge)
//	badges/overall.<lang>.svg    progress over all labs
//	assets/…                     CSS, the page script, chroma.css, vendored mermaid
//	.vpclab-site                 marks the folder as a vpclab build (Build only replaces such a folder)
//
// Every link is relative, and pages name index.html explicitly, so the site
// works from file:// and from any static host.
//
// # Using it from a server
//
// New(labs, Options{Live: true, Token: tok}) returns a *Site that a local
// server can keep: Paths lists the site's files, WriteFile (or File)
// renders one with the progress the server has just loaded, and
// ContentType gives its media type. With Live set, every verification card
// has an enabled "Check this step" button and the lab header a "Check the
// whole lab" button (in a static build they are in the page, hidden and
// disabled), and every page carries <meta name="vpclab-token">.
//
// The page script (assets/site.js) then only needs one endpoint, relative
// to the site root:
//
//	POST api/check
//	X-Vpclab-Token: <the token from the meta tag>
//	Content-Type: application/json
//
//	{"lab": "nat-private-egress", "step": "create-nat", "lang": "ja"}   // no "step": the whole lab
//
// lang is the page's language, for the messages: with Referrer-Policy
// no-referrer the server cannot see the page otherwise.
//
// It expects the JSON that `vpclab check --format json` prints (only these
// fields are read):
//
//	{"results": [{"check": "nat-available", "step": "create-nat", "status": "fail",
//	              "message": "…", "reason": "NOT_FOUND", "fix": "aws ec2 …"}],
//	 "hint": "…"}
//
// and, for a failure, any non-2xx status with {"error": "message"}. The
// script fills each card's status area (matched by data-check), updates the
// table of contents and reloads every progress badge (<img data-badge>) so
// that the server's fresh badges/… answer shows.
//
// Stable hooks for scripts and tests: cards are .vcard elements with
// data-lab, data-step, data-check and data-kind; buttons have
// data-action="check-step" or "check-lab" with data-lab (and data-step);
// each card's .vcard-status and .vcard-result, and the lab header's
// .check-result, are the status areas.
package site
