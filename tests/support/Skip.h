#pragma once
// Skipping a test whose prerequisites are missing (a tool not installed, a
// peer binary absent). CppUnit has no skipped state, so the convention is:
//
//   if (!PebbleServer::installed()) return skipTest(PebbleServer::missingReason());
//
// skipTest() prints "SKIPPED: <reason>" and returns; the test then passes as
// far as CppUnit knows. When the program's tests all passed but at least
// one was skipped, main() (TestMain.cpp) exits with kSkipExitCode, which
// rport_add_test() declares as the test's SKIP_RETURN_CODE: CTest shows
// "***Skipped" instead of "Passed".
#include <string>

namespace rport::test {

constexpr int kSkipExitCode = 77;

void skipTest(const std::string& reason);
// Whether skipTest() was called in this program.
bool anyTestSkipped();

}  // namespace rport::test
