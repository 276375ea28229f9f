# Calls handle(data, secrets) from the handler.py in argv[1], as a Cognite Functions runner would:
# data and secrets come as JSON on stdin. Prints the return value as JSON on the last line.
import importlib.util
import json
import sys

spec = importlib.util.spec_from_file_location("handler", sys.argv[1])
handler = importlib.util.module_from_spec(spec)
spec.loader.exec_module(handler)
call = json.load(sys.stdin)
try:
    result = handler.handle(data=call.get("data"), secrets=call.get("secrets"))
except Exception as error:  # the runner reports the message as the call's error
    print(type(error).__name__ + ": " + str(error), file=sys.stderr)
    sys.exit(1)
print("RESULT " + json.dumps(result))
