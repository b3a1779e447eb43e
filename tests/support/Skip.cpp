#include "Skip.h"

#include <atomic>
#include <iostream>

namespace rport::test {

namespace {
std::atomic<bool> skipped{false};
}

void skipTest(const std::string& reason) {
    skipped = true;
    std::cout << "\nSKIPPED: " << reason << std::endl;
}

bool anyTestSkipped() { return skipped; }

}  // namespace rport::test
