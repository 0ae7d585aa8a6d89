package checks_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/vpclab/vpclab/checks"
	"github.com/vpclab/vpclab/checks/account"
	"github.com/vpclab/vpclab/i18n"
)

func TestECSCluster(t *testing.T) {
	runKindCases(t, []kindCase{
		{name: "pass", check: lines("kind: ecs-cluster", "name: demo-cluster"),
			want: want{status: checks.Pass, msg: "CheckClusterPass", res: []string{clusterARN}, data: i18n.M{"Name": "demo-cluster", "Running": 1}}},
		{name: "missing", check: lines("kind: ecs-cluster", "name: lab-cluster"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFoundNamed",
				data: i18n.M{"Type": i18n.Msg{ID: "ResCluster"}, "Name": "lab-cluster", "Region": region},
				fix:  []string{"aws ecs create-cluster --cluster-name lab-cluster"}}},
		{name: "inactive (deleted) is missing", check: lines("kind: ecs-cluster", "name: demo-cluster"),
			mutate: func(s *account.Snapshot) { s.Clusters[0].Status = sp("INACTIVE") },
			want:   want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFoundNamed", data: i18n.M{"Name": "demo-cluster"}}},
	})
}

func TestECSService(t *testing.T) {
	svc := lines("kind: ecs-service", "cluster: demo-cluster", "name: demo-web")
	netFix := []string{"aws ecs update-service --cluster demo-cluster --service demo-web --network-configuration",
		"securityGroups=[" + taskSG + "]", "assignPublicIp=DISABLED"}
	runKindCases(t, []kindCase{
		{name: "pass", check: svc,
			want: want{status: checks.Pass, msg: "CheckServicePass", res: []string{serviceARN},
				data: i18n.M{"Name": "demo-web", "Subnets": 2, "Running": 1}}},
		{name: "public subnets without public IPs", check: svc,
			mutate: func(s *account.Snapshot) { awsvpc(s).Subnets = []string{subPubA} },
			want: want{status: checks.Fail, reason: "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", msg: "CheckServicePublicNoIP",
				res: []string{serviceARN, subPubA}, data: i18n.M{"Subnets": subPubA}, fix: netFix}},
		{name: "one public subnet among private ones", check: svc,
			mutate: func(s *account.Snapshot) { awsvpc(s).Subnets = []string{subPrivA, subPubA} },
			want: want{status: checks.Fail, reason: "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", msg: "CheckServicePublicNoIP",
				res: []string{serviceARN, subPubA}, notRes: []string{subPrivA}, data: i18n.M{"Subnets": subPubA}}},
		{name: "public subnets with public IPs", check: svc,
			mutate: func(s *account.Snapshot) {
				awsvpc(s).Subnets, awsvpc(s).AssignPublicIp = []string{subPubA}, ecstypes.AssignPublicIpEnabled
			},
			want: want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckServicePublicSubnets", res: []string{serviceARN, subPubA}, fix: netFix}},
		// Every lab says "Public IP off": a public IP in a private subnet
		// is billed, useless, and an open lock, so it fails.
		{name: "public IPs in private subnets fail", check: svc,
			mutate: func(s *account.Snapshot) { awsvpc(s).AssignPublicIp = ecstypes.AssignPublicIpEnabled },
			want: want{status: checks.Fail, reason: "PUBLIC_IP_IN_PRIVATE_SUBNET", msg: "CheckServicePublicIPWasted", res: []string{serviceARN},
				fix: netFix}},
		// A service left in another group (the VPC's default, given no
		// --security-groups) passes everything else but is reached by
		// nothing the lab opens: with security_group it fails, moved to
		// the lab's group.
		{name: "tasks in another group than the lab's", check: svc + "\nsecurity_group: demo-task-sg",
			mutate: func(s *account.Snapshot) { awsvpc(s).SecurityGroups = []string{vpceSG} },
			want: want{status: checks.Fail, reason: "WRONG_SECURITY_GROUP", msg: "CheckServiceWrongSG", res: []string{serviceARN, taskSG, vpceSG},
				text: []string{"demo-vpce-sg (" + vpceSG + ")", "demo-task-sg (" + taskSG + ")"},
				fix:  netFix, noFix: []string{vpceSG}}},
		// Two mistakes at once (create-service with public subnets and no
		// --security-groups): the fix moves it and gives it the lab's group,
		// rather than being withheld for the group it keeps.
		{name: "public subnets and another group: one fix for both", check: svc + "\nsecurity_group: demo-task-sg",
			mutate: func(s *account.Snapshot) {
				awsvpc(s).Subnets, awsvpc(s).SecurityGroups = []string{subPubA}, []string{vpceSG}
			},
			want: want{status: checks.Fail, reason: "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", msg: "CheckServicePublicNoIP", fix: netFix, noFix: []string{vpceSG}}},
		{name: "tasks in the lab's group among others", check: svc + "\nsecurity_group: demo-task-sg",
			mutate: func(s *account.Snapshot) { awsvpc(s).SecurityGroups = []string{vpceSG, taskSG} },
			want:   want{status: checks.Pass, msg: "CheckServicePass"}},
		{name: "desired count 0", check: svc,
			mutate: func(s *account.Snapshot) { s.Services[0].DesiredCount, s.Services[0].RunningCount = 0, 0 },
			want: want{status: checks.Fail, reason: "SERVICE_DESIRED_ZERO", msg: "CheckServiceDesiredZero", res: []string{serviceARN},
				fix: []string{"aws ecs update-service --cluster demo-cluster --service demo-web --desired-count 1"}}},
		{name: "desired count 0 with min_running 2", check: svc + "\nmin_running: 2",
			mutate: func(s *account.Snapshot) { s.Services[0].DesiredCount, s.Services[0].RunningCount = 0, 0 },
			want:   want{status: checks.Fail, reason: "SERVICE_DESIRED_ZERO", msg: "CheckServiceDesiredZero", fix: []string{"--desired-count 2"}}},
		{name: "min_running met", check: svc + "\nmin_running: 1",
			want: want{status: checks.Pass, msg: "CheckServicePass", res: []string{serviceARN}}},
		{name: "min_running not met", check: svc + "\nmin_running: 2",
			want: want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckServiceNotRunning", res: []string{serviceARN},
				data:       i18n.M{"Running": 1, "Want": 2},
				noFixAtAll: true}}, // nothing to run: the service's events say why
		{name: "no tasks running", check: svc + "\nmin_running: 1",
			mutate: func(s *account.Snapshot) { s.Services[0].RunningCount = 0 },
			want:   want{status: checks.Fail, reason: "BAD_STATE", msg: "CheckServiceNotRunning", data: i18n.M{"Running": 0, "Want": 1}}},
		{name: "Fargate through a capacity provider", check: svc,
			mutate: func(s *account.Snapshot) {
				s.Services[0].LaunchType = ""
				s.Services[0].CapacityProviderStrategy = []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: sp("FARGATE_SPOT"), Weight: 1}}
			},
			want: want{status: checks.Pass, msg: "CheckServicePass", res: []string{serviceARN}}},
		{name: "EC2 launch type", check: svc,
			mutate: func(s *account.Snapshot) { s.Services[0].LaunchType = ecstypes.LaunchTypeEc2 },
			want:   want{status: checks.Fail, reason: "NOT_FARGATE", msg: "CheckServiceNotFargate", res: []string{serviceARN}}},
		{name: "no awsvpc configuration", check: svc,
			mutate: func(s *account.Snapshot) { s.Services[0].NetworkConfiguration = nil },
			want:   want{status: checks.Fail, reason: "NO_AWSVPC", msg: "CheckServiceNoNetwork", res: []string{serviceARN}}},
		{name: "missing", check: lines("kind: ecs-service", "cluster: demo-cluster", "name: lab-web"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFoundNamed",
				data: i18n.M{"Type": i18n.Msg{ID: "ResService"}, "Name": "lab-web"}}},
		{name: "in another cluster", check: lines("kind: ecs-service", "cluster: lab-cluster", "name: demo-web"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFoundNamed", data: i18n.M{"Name": "demo-web"}}},
		{name: "inactive (deleted) is missing", check: svc,
			mutate: func(s *account.Snapshot) { s.Services[0].Status = sp("INACTIVE") },
			want:   want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckNotFoundNamed"}},
	})
}

func TestECSTask(t *testing.T) {
	task := lines("kind: ecs-task", "cluster: demo-cluster", "family: demo-web")
	const pullErr = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " +
		"docker.io/library/nginx:latest: failed to do request: Head \"https://registry-1.docker.io/v2/library/nginx/manifests/latest\": " +
		"dial tcp 34.205.13.154:443: i/o timeout"
	stop := func(s *account.Snapshot) {
		t := &s.Tasks[0]
		t.LastStatus, t.DesiredStatus = sp("STOPPED"), sp("STOPPED")
		t.StoppedReason, t.StopCode = sp(pullErr), ecstypes.TaskStopCodeTaskFailedToStart
	}
	// The task comes back where the lab means it: the private subnets, the
	// groups its interface had (or its service's), no public IP.
	runFix := []string{"TASK_ARN=$(aws ecs run-task --cluster demo-cluster --launch-type FARGATE --task-definition demo-web --count 1",
		"awsvpcConfiguration={subnets=[" + subPrivA + ",", "securityGroups=[" + taskSG + "],assignPublicIp=DISABLED}",
		`aws ecs wait tasks-running --cluster demo-cluster --tasks "$TASK_ARN"`}
	runKindCases(t, []kindCase{
		{name: "running", check: task,
			want: want{status: checks.Pass, msg: "CheckTaskPass", res: []string{taskARN, taskENI, subPrivA},
				data: i18n.M{"Task": "0f1e2d3c4b5a", "Subnet": subPrivA, "ENI": taskENI}}},
		{name: "stopped, quoting its reason", check: task, mutate: stop,
			want: want{status: checks.Fail, reason: "TASK_STOPPED", msg: "CheckTaskStopped", res: []string{taskARN},
				data: i18n.M{"Why": pullErr, "Family": "demo-web"}, text: []string{pullErr},
				fix: runFix, noFix: []string{"stop-task", subPubA}}},
		{name: "the newest stopped task is quoted", check: task,
			mutate: func(s *account.Snapshot) {
				stop(s)
				older := s.Tasks[0]
				older.TaskArn, older.StoppedReason = sp(taskARN+"old"), sp("Essential container in task exited")
				older.CreatedAt = aws.Time(older.CreatedAt.Add(-time.Hour))
				s.Tasks = append([]ecstypes.Task{older}, s.Tasks...)
			},
			want: want{status: checks.Fail, reason: "TASK_STOPPED", msg: "CheckTaskStopped", res: []string{taskARN},
				notRes: []string{taskARN + "old"}, data: i18n.M{"Why": pullErr}}},
		{name: "a running task wins over a newer stopped one", check: task,
			mutate: func(s *account.Snapshot) {
				newer := s.Tasks[0]
				newer.TaskArn, newer.LastStatus, newer.StoppedReason = sp(taskARN+"new"), sp("STOPPED"), sp(pullErr)
				newer.CreatedAt = aws.Time(newer.CreatedAt.Add(time.Hour))
				s.Tasks = append(s.Tasks, newer)
			},
			want: want{status: checks.Pass, msg: "CheckTaskPass", res: []string{taskARN}, notRes: []string{taskARN + "new"}}},
		{name: "task ENI with a public IP warns", check: task,
			mutate: func(s *account.Snapshot) {
				eniOf(s, taskENI).Association = &ec2types.NetworkInterfaceAssociation{PublicIp: sp("198.51.100.20"), IpOwnerId: sp("amazon")}
			},
			want: want{status: checks.Warn, reason: "PUBLIC_IP_IN_PRIVATE_SUBNET", msg: "CheckTaskPublicIP", res: []string{taskARN, taskENI},
				data: i18n.M{"IP": "198.51.100.20"}, fix: append([]string{"aws ecs stop-task --cluster demo-cluster --task " + taskARN}, runFix...)}},
		{name: "task in a public subnet", check: task,
			mutate: func(s *account.Snapshot) {
				s.Tasks[0].Attachments[0].Details[0].Value = sp(subPubA)
				eniOf(s, taskENI).SubnetId = sp(subPubA)
			},
			want: want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckTaskPublicSubnet", res: []string{taskARN, subPubA},
				data: i18n.M{"Subnet": subPubA}, fix: append([]string{"aws ecs stop-task --cluster demo-cluster --task " + taskARN}, runFix...)}},
		// Run without --security-groups, a task is in the VPC's default
		// group: stopped and run again with the lab's.
		{name: "task in another group than the lab's", check: task + "\nsecurity_group: demo-task-sg",
			mutate: func(s *account.Snapshot) {
				eniOf(s, taskENI).Groups = []ec2types.GroupIdentifier{{GroupId: sp(vpceSG), GroupName: sp("demo-vpce-sg")}}
			},
			want: want{status: checks.Fail, reason: "WRONG_SECURITY_GROUP", msg: "CheckTaskWrongSG", res: []string{taskARN, taskSG, vpceSG},
				fix: append([]string{"aws ecs stop-task --cluster demo-cluster --task " + taskARN}, runFix...), noFix: []string{vpceSG}}},
		{name: "task in a public subnet and another group: run again in the private ones with the lab's", check: task + "\nsecurity_group: demo-task-sg",
			mutate: func(s *account.Snapshot) {
				s.Tasks[0].Attachments[0].Details[0].Value = sp(subPubA)
				eniOf(s, taskENI).SubnetId = sp(subPubA)
				eniOf(s, taskENI).Groups = []ec2types.GroupIdentifier{{GroupId: sp(vpceSG), GroupName: sp("demo-vpce-sg")}}
			},
			want: want{status: checks.Fail, reason: "SUBNET_IS_PUBLIC", msg: "CheckTaskPublicSubnet",
				fix: append([]string{"aws ecs stop-task --cluster demo-cluster --task " + taskARN}, runFix...), noFix: []string{vpceSG}}},
		{name: "stopped, its groups wrong: run again with the lab's", check: task + "\nsecurity_group: demo-task-sg",
			mutate: func(s *account.Snapshot) {
				stop(s)
				eniOf(s, taskENI).Groups = []ec2types.GroupIdentifier{{GroupId: sp(vpceSG), GroupName: sp("demo-vpce-sg")}}
				s.Services = nil
			},
			want: want{status: checks.Fail, reason: "TASK_STOPPED", msg: "CheckTaskStopped", fix: runFix, noFix: []string{vpceSG}}},
		{name: "task in the lab's group", check: task + "\nsecurity_group: demo-task-sg",
			want: want{status: checks.Pass, msg: "CheckTaskPass"}},
		{name: "task without an awsvpc attachment", check: task,
			mutate: func(s *account.Snapshot) { s.Tasks[0].Attachments = nil },
			want:   want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckTaskNoENI", res: []string{taskARN}}},
		{name: "none", check: task,
			mutate: func(s *account.Snapshot) { s.Tasks = nil },
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckTaskNone",
				data: i18n.M{"Family": "demo-web", "Cluster": "demo-cluster"},
				fix:  runFix}}, // the groups come from the family's service
		{name: "none, and no group vpclab could name", check: task,
			mutate: func(s *account.Snapshot) { s.Tasks, s.Services = nil, nil },
			want:   want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckTaskNone", noFixAtAll: true}},
		{name: "another family", check: lines("kind: ecs-task", "cluster: demo-cluster", "family: lab-web"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckTaskNone", notRes: []string{taskARN}}},
		{name: "another cluster", check: lines("kind: ecs-task", "cluster: lab-cluster", "family: demo-web"),
			want: want{status: checks.Fail, reason: "NOT_FOUND", msg: "CheckTaskNone", data: i18n.M{"Cluster": "lab-cluster"}}},
	})
}
