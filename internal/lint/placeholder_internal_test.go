package lint

import (
	"regexp"
	"testing"
)

// placeholderExpr is what placeholderIDs stands for.
var placeholderExpr = regexp.MustCompile(`\b(vpc|subnet|igw|eigw|nat|rtb|rtbassoc|eipalloc|eipassoc|eni|sg|sgr|acl|vpce|pl)-([0-9a-fA-FxX]{4,}|<[^>]*>|\.\.\.+)`)

func samePlaceholders(t *testing.T, code string) {
	t.Helper()
	want := placeholderExpr.FindAllStringIndex(code, -1)
	got := placeholderIDs(code)
	if len(got) != len(want) {
		t.Fatalf("%q: %v, the expression finds %v", code, got, want)
	}
	for i := range got {
		if got[i][0] != want[i][0] || got[i][1] != want[i][1] {
			t.Fatalf("%q: %v, the expression finds %v", code, got, want)
		}
	}
}

var placeholderCases = []string{
	"", "vpc-0abc1234", "aws ec2 delete-vpc --vpc-id vpc-0abc1234def", "vpc-abc", "vpc-<your id>", "vpc-<open",
	"subnet-... and subnet-.. and rtb-xxxx", "myvpc-1234 _vpc-1234 9vpc-1234 -vpc-1234 /vpc-1234", "vpclab-g001-nat-vpc",
	"rtbassoc-12345678 rtb-assoc eipalloc-0a0a eipassoc-XXXX eigw-1111 igw-2222", "sg-0123 sgr-0123 sg-<id>sg-9999",
	"nat-0123456789abcdef0nat-1111", "pl-<x> vpce-.... eni-XxXx acl-1234ä vpc-1234", "ÄÖvpc-1234 日本vpc-1234",
	"vpc-1234vpc-5678", "vpc-12345678-subnet-1234", "vpc-<<a>>", "vpc-1234\nsubnet-5678",
}

// TestPlaceholderIDsIsTheExpression: the hand-written matcher finds what
// the expression it replaced finds, on aimed cases and (fuzz) any text.
func TestPlaceholderIDsIsTheExpression(t *testing.T) {
	for _, c := range placeholderCases {
		samePlaceholders(t, c)
	}
}

func FuzzPlaceholderIDs(f *testing.F) {
	for _, c := range placeholderCases {
		f.Add(c)
	}
	f.Fuzz(samePlaceholders)
}
