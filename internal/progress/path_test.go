package progress

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclab/vpclab/i18n"
)

func TestDefaultPath(t *testing.T) {
	fixed := func(s string) func() (string, error) { return func() (string, error) { return s, nil } }
	failing := func() (string, error) { return "", errors.New("no home") }
	cases := []struct {
		name    string
		goos    string
		env     map[string]string
		home    func() (string, error)
		want    string
		wantErr bool
	}{
		{"override wins", "linux", map[string]string{"VPCLAB_STATE_DIR": "/srv/class", "XDG_STATE_HOME": "/x"}, fixed("/home/u"),
			filepath.Join("/srv/class", "progress.json"), false},
		{"override wins on windows", "windows", map[string]string{"VPCLAB_STATE_DIR": "/srv/class"}, failing,
			filepath.Join("/srv/class", "progress.json"), false},
		{"linux XDG", "linux", map[string]string{"XDG_STATE_HOME": "/xdg/state"}, fixed("/home/u"),
			filepath.Join("/xdg/state", "vpclab", "progress.json"), false},
		{"linux relative XDG ignored", "linux", map[string]string{"XDG_STATE_HOME": "rel"}, fixed("/home/u"),
			filepath.Join("/home/u", ".local", "state", "vpclab", "progress.json"), false},
		{"linux default", "linux", nil, fixed("/home/u"),
			filepath.Join("/home/u", ".local", "state", "vpclab", "progress.json"), false},
		{"freebsd default", "freebsd", nil, fixed("/home/u"),
			filepath.Join("/home/u", ".local", "state", "vpclab", "progress.json"), false},
		{"linux no home", "linux", nil, failing, "", true},
		{"macOS", "darwin", map[string]string{"XDG_STATE_HOME": "/xdg"}, fixed("/Users/u"),
			filepath.Join("/Users/u/Library/Application Support", "vpclab", "progress.json"), false},
		{"windows", "windows", nil, fixed(`C:\Users\u`),
			filepath.Join(`C:\Users\u\AppData\Local`, "vpclab", "progress.json"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := platform{
				goos:    c.goos,
				getenv:  func(k string) string { return c.env[k] },
				homeDir: c.home,
				configDir: func() (string, error) {
					if c.goos != "darwin" {
						t.Error("configDir used off macOS")
					}
					h, err := c.home()
					return filepath.Join(h, "Library/Application Support"), err
				},
				cacheDir: func() (string, error) {
					if c.goos != "windows" {
						t.Error("cacheDir used off Windows")
					}
					return `C:\Users\u\AppData\Local`, nil
				},
			}
			got, err := defaultPath(p)
			if (err != nil) != c.wantErr || got != c.want {
				t.Errorf("got %q, %v; want %q (error %v)", got, err, c.want, c.wantErr)
			}
			// The error says what to do, in the learner's language.
			if ja := i18n.New(i18n.JA).Err(err); err != nil && !strings.Contains(ja, "VPCLAB_STATE_DIR に保存先のフォルダーを指定してください") {
				t.Errorf("in Japanese: %q", ja)
			}
		})
	}
}

func TestDefaultPathHere(t *testing.T) {
	t.Setenv("VPCLAB_STATE_DIR", t.TempDir())
	p, err := DefaultPath()
	if err != nil || filepath.Base(p) != "progress.json" {
		t.Errorf("%q, %v", p, err)
	}
}
