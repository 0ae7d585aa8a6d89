package classroom

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/vpclab/vpclab/internal/roster"
)

// TestClassifyMissingProfile: a roster naming a profile this machine does
// not have is said in the instructor's words, with the profile's name,
// not as the SDK's English error.
func TestClassifyMissingProfile(t *testing.T) {
	err := fmt.Errorf("load config: %w", config.SharedConfigProfileNotExistError{Profile: "aiko"})
	p := classify(context.Background(), context.Background(), stageConnect, err, roster.Learner{Name: "Aiko", Profile: "aiko"}, time.Minute)
	if p.Code != ProblemNoCredentials || p.Msg.ID != "ClassProblemProfileMissing" || p.Msg.Data["Profile"] != "aiko" {
		t.Errorf("classify = %s %s %v", p.Code, p.Msg.ID, p.Msg.Data)
	}
}
