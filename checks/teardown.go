package checks

// teardownReasons are the failures that taking a lab apart can cause:
// something a check relies on has been deleted, stopped, detached,
// disassociated or released, or is on its way out, and what pointed at it
// is left dangling (a blackhole route, an Elastic IP with nothing to do, a
// path that now leaves another way). Every other failure is a change no
// clean-up makes: a CIDR, a DNS attribute, a security group rule, a public
// IP, a NAT gateway in the wrong subnet.
//
// A reason that deletions can cause in some order of clean-up is listed
// even when an edit can cause it too, so that a learner part way through a
// clean-up is never told that a step broke. vpclab test proves the list
// against each lab's own clean-up, block by block (internal/doctest).
var teardownReasons = map[string]bool{
	"NOT_FOUND":                        true, // the resource is gone
	"BAD_STATE":                        true, // deleting, deleted, stopping
	"BAD_STATE_ROUTE":                  true, // the route's target is gone
	"BAD_STATE_ATTACHMENT":             true, // the internet gateway was detached
	"NO_ROUTE_TO_DESTINATION":          true, // the route (or its table) was deleted
	"WRONG_ROUTE_TABLE":                true, // the subnet's table was disassociated: the main table applies
	"TASK_STOPPED":                     true,
	"SERVICE_DESIRED_ZERO":             true, // a service is scaled to zero before it is deleted
	"EIP_NOT_ASSOCIATED":               true, // its NAT gateway or instance was deleted
	"EIP_UNREACHABLE":                  true, // the internet gateway or its route was removed
	"SG_SOURCE_MISSING":                true, // the source group was deleted
	"LB_GROUP_MISSING":                 true, // the load balancer's group was deleted
	"VPCE_GATEWAY_ROUTE_MISSING":       true, // a route table left the endpoint
	"NGW_NOT_IN_PUBLIC_SUBNET":         true, // its subnet lost the internet gateway route
	"LB_IN_PRIVATE_SUBNET":             true, // the same for a load balancer's subnet
	"LAB_IN_OTHER_REGION":              true, // the VPC here is deleted, a copy elsewhere is not yet
	"UNEXPECTED_HOP":                   true, // an endpoint was deleted: traffic leaves another way
	"PATH_NOT_BLOCKED":                 true, // a blocking network ACL was replaced before deletion
	"LAB_NETWORK_LEFT":                 true, // the clean-up's own findings
	"BILLABLE_RESOURCES_LEFT":          true,
	"VPCE_SERVICE_NOT_INSTALLED_IN_AZ": true,
}

// Teardown reports whether a failure with reason can follow from taking
// the lab apart. Once every required step is done, a step that passed and
// fails now for such a reason is being cleaned up; for any other reason,
// it is broken (internal/journey).
func Teardown(reason string) bool { return teardownReasons[reason] }

// deletionReasons are the teardown failures that show something of the
// lab deleted, stopped, detached or released: the evidence that a clean-up
// has begun. The others (a route or an association missing, a path that
// leaves another way) follow from a deletion, but a learner makes them
// just as well by a mistake with everything else standing: without a
// deletion beside them, they are that mistake.
var deletionReasons = map[string]bool{
	"NOT_FOUND":            true,
	"BAD_STATE":            true,
	"BAD_STATE_ROUTE":      true, // the route's target was deleted
	"BAD_STATE_ATTACHMENT": true,
	"TASK_STOPPED":         true,
	"SERVICE_DESIRED_ZERO": true,
	"LAB_IN_OTHER_REGION":  true,
	// Not EIP_NOT_ASSOCIATED, SG_SOURCE_MISSING or LB_GROUP_MISSING:
	// disassociate-address, a revoked rule and set-security-groups make
	// them by hand (a group still referenced cannot even be deleted).
}

// Deletion reports whether a failure with reason shows that something was
// deleted (see deletionReasons).
func Deletion(reason string) bool { return deletionReasons[reason] }
