"""`make bench`: figures, not pass/fail."""

from benchmarks import aws_calls, cold_start, workflow_transitions


def main() -> None:
    print("== Handler import time (cold start, median of 5, seconds)")
    for function, seconds in cold_start.handler_import_seconds().items():
        print(f"  {function:<28} {seconds:.3f}")
    print("\n== AWS requests per API operation")
    for operation, calls in aws_calls.calls_per_operation().items():
        detail = ", ".join(f"{name} x{count}" for name, count in calls.items())
        print(f"  {operation:<42} {sum(calls.values()):>3}  ({detail})")
    print("\n== One placement-gate decision (record_placement), median of 50")
    for name, value in aws_calls.gate_decision().items():
        print(f"  {name}: {value}")
    print("\n== Onboarding workflow and the local runtime")
    for name, value in workflow_transitions.measure().items():
        print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
