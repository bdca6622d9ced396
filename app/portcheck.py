"""Say plainly when the port `make run` wants is already taken, before Flask prints a traceback."""

import socket
import sys


def main(host: str, port: int) -> int:
    """Exit 0 when host:port can be bound, else print what to do and exit 1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            sys.stderr.write(
                f"端口 {host}:{port} 已被占用（port taken）: stop the other server, "
                f"or run `make run PORT=<another port>`.\n"
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
