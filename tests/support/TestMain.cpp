// One main() for every CppUnit test program: runs all registered suites and
// exits nonzero on any failure, so CTest sees the result; 77 when all
// passed but some test was skipped (see Skip.h).
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <csignal>
#include <iostream>

#include "Skip.h"

int main(int argc, char** argv) {
    // Tests talk to servers that may close a socket under us; a write must fail, not kill us.
    std::signal(SIGPIPE, SIG_IGN);
    CppUnit::TestResult controller;
    CppUnit::TestResultCollector collected;
    controller.addListener(&collected);
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&progress);

    CppUnit::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    // An optional argument runs one test or fixture by name.
    runner.run(controller, argc > 1 ? argv[1] : "");

    CppUnit::CompilerOutputter(&collected, std::cerr).write();
    if (!collected.wasSuccessful()) return 1;
    // Everything passed, but something only because it was skipped.
    return rport::test::anyTestSkipped() ? rport::test::kSkipExitCode : 0;
}
