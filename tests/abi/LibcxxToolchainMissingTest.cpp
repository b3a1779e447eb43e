// Stands in for abi_libcxx_plugin_test when the build was configured without
// clang++ or libc++ (tests/abi/CMakeLists.txt), so that the ABI test with
// another toolchain never silently drops out: it fails where tools are
// required (CI) and is reported as skipped elsewhere, naming what is missing.
#include <cppunit/extensions/HelperMacros.h>

#include "Skip.h"

class LibcxxToolchainMissingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LibcxxToolchainMissingTest);
    CPPUNIT_TEST(testClangAndLibcxxAreInstalled);
    CPPUNIT_TEST_SUITE_END();

public:
    void testClangAndLibcxxAreInstalled() {
        const std::string reason =
            std::string("the clang/libc++ plugin was not built: ") + RPORT_LIBCXX_MISSING;
        if (RPORT_LIBCXX_REQUIRED) CPPUNIT_FAIL(reason);
        rport::test::skipTest(reason);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LibcxxToolchainMissingTest);
