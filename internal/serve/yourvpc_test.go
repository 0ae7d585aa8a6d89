package serve_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/chromedp/chromedp"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/checks/egress"
	"github.com/vpclab/vpclab/internal/netmap"
	"github.com/vpclab/vpclab/internal/serve"
	"github.com/vpclab/vpclab/site"
)

// yourVPCSnap is a hand-built private subnet whose route table has (or,
// broken, lacks) a route to an internet gateway; the results are the
// egress analyzer's walk over it, as an egress-path check records it.
// Hand-built because this test is about the page, not about AWS.
func yourVPCSnap(broken bool) (*account.Snapshot, []checks.Result) {
	tags := func(n string) []ec2types.Tag { return []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(n)}} }
	s := &account.Snapshot{Account: "123456789012", Region: "ap-northeast-1"}
	s.VPCs = []ec2types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16"), Tags: tags("demo-vpc")}}
	s.Subnets = []ec2types.Subnet{{SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.1.0/24"),
		AvailabilityZone: aws.String("ap-northeast-1a"), Tags: tags("demo-public-a")}}
	s.InternetGateways = []ec2types.InternetGateway{{InternetGatewayId: aws.String("igw-1"), Tags: tags("demo-igw"),
		Attachments: []ec2types.InternetGatewayAttachment{{VpcId: aws.String("vpc-1"), State: ec2types.AttachmentStatusAttached}}}}
	routes := []ec2types.Route{{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local")}}
	if !broken {
		routes = append(routes, ec2types.Route{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String("igw-1"), State: ec2types.RouteStateActive})
	}
	s.RouteTables = []ec2types.RouteTable{{RouteTableId: aws.String("rtb-1"), VpcId: aws.String("vpc-1"), Routes: routes, Tags: tags("demo-public-rt"),
		Associations: []ec2types.RouteTableAssociation{{SubnetId: aws.String("subnet-1")}}}}
	p := egress.Analyze(s, egress.Source{SubnetID: "subnet-1", PublicIP: egress.PublicIPYes}, egress.Internet, 443)
	r := checks.Result{Check: "public-egress", Status: checks.Pass, Path: &p}
	if b := p.Block(); b != nil {
		r.Status, r.Reason = checks.Fail, string(b.Code)
	}
	return s, []checks.Result{r}
}

// startYourVPC serves the built-in labs with a diagram that is broken
// until repaired is set; checks answer an empty report.
func startYourVPC(t *testing.T, repaired *atomic.Bool) *fakeServer {
	t.Helper()
	tok, err := serve.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	st, err := site.New(builtinLabs(t), site.Options{Live: true, Token: tok})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serve.New(st, serve.Options{Addr: "127.0.0.1:0", Token: tok,
		Check: func(ctx context.Context, req serve.CheckRequest) (any, error) {
			return map[string]any{"results": []any{}}, nil
		},
		Diagram: func(ctx context.Context, req serve.CheckRequest) (*netmap.Diagram, error) {
			snap, results := yourVPCSnap(!repaired.Load())
			return netmap.Build(snap, results, req.Loc, req.Lab.ID), nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return &fakeServer{Server: srv, URL: srv.URL(), Host: hostPort(t, srv.URL()), Token: tok}
}

func TestYourVPCAPI(t *testing.T) {
	var repaired atomic.Bool
	f := startYourVPC(t, &repaired)
	post := func(body string, h map[string]string) response {
		hs := map[string]string{"Content-Type": "application/json", serve.TokenHeader: f.Token}
		for k, v := range h {
			hs[k] = v
		}
		return do(t, f.URL, request{method: http.MethodPost, path: "/api/yourvpc", header: hs, body: body})
	}
	if r := post(`{"lab":"first-vpc"}`, map[string]string{serve.TokenHeader: "wrong"}); r.status != http.StatusForbidden {
		t.Errorf("wrong token: %d", r.status)
	}
	if r := do(t, f.URL, request{path: "/api/yourvpc"}); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", r.status)
	}
	if r := post(`{"lab":"no-such-lab"}`, nil); r.status != http.StatusNotFound {
		t.Errorf("unknown lab: %d", r.status)
	}
	r := post(`{"lab":"first-vpc","lang":"ja"}`, nil)
	html, _ := r.json["html"].(string)
	if r.status != http.StatusOK || r.json["stops"] != float64(1) || !strings.Contains(html, "あなたの VPC") || !strings.Contains(html, `class="mermaid yv-mermaid"`) {
		t.Fatalf("broken: %d %v", r.status, r.json)
	}
	repaired.Store(true)
	if r := post(`{"lab":"first-vpc","lang":"en"}`, nil); r.json["stops"] != float64(0) {
		t.Errorf("repaired: %v", r.json)
	}
}

// TestYourVPCBrowser opens a lab page under serve: the section beside the
// lab draws the broken hop; after the route is repaired and the learner
// presses "Check the whole lab", it redraws with none.
func TestYourVPCBrowser(t *testing.T) {
	path := needChromium(t)
	var repaired atomic.Bool
	f := startYourVPC(t, &repaired)
	ctx, _ := browser(t, path)
	count := func() int {
		return value(t, ctx, "count", chromedp.Evaluate[int](`document.querySelectorAll("#your-vpc svg g.node.vpcBroken").length`))
	}
	drawn := chromedp.Poll[chromedp.Void](`document.querySelector("#your-vpc[data-drawn=yes] svg") !== null`, chromedp.WithPollingTimeout(60*time.Second))
	step(t, ctx, "open the lab", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(f.URL+"en/first-vpc/"), loaded)
	sctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, drawn); err != nil {
		t.Fatalf("Your VPC is not drawn: %v", err)
	}
	if n := count(); n != 1 {
		t.Fatalf("broken hops drawn: %d, want 1", n)
	}
	shotDir := artifacts(t)
	screenshot(t, ctx, shotDir, "yourvpc-serve-broken.png", chromedp.Screenshot(chromedp.CSS(`#your-vpc`)))
	repaired.Store(true)
	step(t, ctx, "mark the drawing stale", chromedp.Evaluate[chromedp.Void](`document.getElementById("your-vpc").removeAttribute("data-drawn")`))
	step(t, ctx, "check the whole lab", chromedp.Click(chromedp.CSS(`button[data-action="check-lab"]`)))
	sctx2, cancel2 := context.WithTimeout(ctx, 90*time.Second)
	defer cancel2()
	if err := chromedp.Do(sctx2, drawn); err != nil {
		t.Fatalf("Your VPC is not redrawn after the check: %v", err)
	}
	if n := count(); n != 0 {
		t.Errorf("after the repair %d broken hops are drawn", n)
	}
	screenshot(t, ctx, shotDir, "yourvpc-serve-repaired.png", chromedp.Screenshot(chromedp.CSS(`#your-vpc`)))
	step(t, ctx, "phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	wide := value(t, ctx, "page width", chromedp.Evaluate[bool](`document.getElementById("your-vpc").getBoundingClientRect().right > window.innerWidth + 1`))
	if wide {
		t.Error("on a phone the section is wider than the screen")
	}
	screenshot(t, ctx, shotDir, "yourvpc-serve-phone.png", chromedp.Screenshot(chromedp.CSS(`#your-vpc`)))
}
