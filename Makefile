# make        build bin/vpclab
# make run    practise the labs in the browser on a fresh local sandbox
#             (moto): no AWS account, nothing touches a real one
# make test   everything CI runs: vet, lint of the labs, all tests (the
#             sandbox tests start their own moto server), and vpclab test
#             --mutate: every lab's checks fail before each step and pass
#             after, and the learner mistakes made after each step are
#             caught by a check and repaired by the printed fix
# make cross  vet vpclab for macOS and Windows, where learners run it
#             (CI runs it after make test)
# make fuzz   fuzz the lab parser for a minute
# make bench  benchmarks, with the figures the README quotes

GO ?= go

.PHONY: build run test cross fuzz bench
build:
	$(GO) build -o bin/vpclab ./cmd/vpclab

run: build
	bin/vpclab serve --sandbox --open $(RUNFLAGS)

# MUTATION_FLOOR is the kill and repair rate make test holds every lab to.
MUTATION_FLOOR ?= 95

test:
	$(GO) vet ./...
	$(GO) run ./cmd/vpclab lint
	$(GO) test -count=1 -timeout 30m ./...
	$(GO) run ./cmd/vpclab test --mutate --threshold $(MUTATION_FLOOR)

cross:
	GOOS=darwin $(GO) vet ./...
	GOOS=windows $(GO) vet ./...

fuzz:
	$(GO) test ./content -run '^$$' -fuzz FuzzParsePage -fuzztime 60s

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
