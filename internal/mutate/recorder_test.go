package mutate

import "testing"

func TestTouched(t *testing.T) {
	r := &recorder{regions: map[string]bool{"us-east-1": true, "us-west-2": true, "eu-west-1": true}}
	got, ok := r.touched("us-east-1")
	if !ok || len(got) != 2 || got[0] != "eu-west-1" || got[1] != "us-west-2" {
		t.Errorf("touched = %v, %v", got, ok)
	}
	r = &recorder{regions: map[string]bool{"us-east-1": true}}
	if got, ok := r.touched("us-east-1"); !ok || got == nil || len(got) != 0 {
		t.Errorf("only the lab's Region: touched = %#v, %v (an empty search, not every Region)", got, ok)
	}
	r.unsigned = true
	if _, ok := r.touched("us-east-1"); ok {
		t.Error("a request whose Region is unknown must make the search cover every Region")
	}
}
