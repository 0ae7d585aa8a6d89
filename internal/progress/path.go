package progress

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/vpclab/vpclab/i18n"
)

// fileName is the progress file's name inside the state folder.
const fileName = "progress.json"

// DefaultPath returns where progress is kept: $VPCLAB_STATE_DIR/progress.json
// if that is set (tests, classrooms with shared disks), otherwise the
// platform's place for per-user state that is not configuration and must
// survive cache cleaning:
//
//   - Linux and BSD: $XDG_STATE_HOME/vpclab, else ~/.local/state/vpclab
//   - macOS: ~/Library/Application Support/vpclab
//   - Windows: %LocalAppData%\vpclab (state stays on the machine; it is not
//     roamed like %AppData%)
func DefaultPath() (string, error) {
	return defaultPath(platform{
		goos:      runtime.GOOS,
		getenv:    os.Getenv,
		homeDir:   os.UserHomeDir,
		configDir: os.UserConfigDir,
		cacheDir:  os.UserCacheDir,
	})
}

// platform is what defaultPath depends on, so that tests can cover every
// operating system from one.
type platform struct {
	goos      string
	getenv    func(string) string
	homeDir   func() (string, error)
	configDir func() (string, error) // ~/Library/Application Support on macOS
	cacheDir  func() (string, error) // %LocalAppData% on Windows
}

func defaultPath(p platform) (string, error) {
	if dir := p.getenv("VPCLAB_STATE_DIR"); dir != "" {
		return filepath.Join(dir, fileName), nil
	}
	var (
		dir string
		err error
	)
	switch p.goos {
	case "windows":
		dir, err = p.cacheDir()
	case "darwin", "ios":
		dir, err = p.configDir()
	default:
		// The XDG spec says a relative $XDG_STATE_HOME is invalid and
		// must be ignored.
		if x := p.getenv("XDG_STATE_HOME"); filepath.IsAbs(x) {
			dir = x
		} else if home, herr := p.homeDir(); herr != nil {
			err = herr
		} else {
			dir = filepath.Join(home, ".local", "state")
		}
	}
	if err != nil {
		return "", i18n.NewError("ProgressNoStateDir", nil, err)
	}
	return filepath.Join(dir, "vpclab", fileName), nil
}
