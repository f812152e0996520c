// mlpppd: argv, daemonize, wiring only.
#include <cstdio>

int main() {
  std::puts("mlpppd 0.1.0");
  return 0;
}
