// The current plugin.h must keep the layout of the frozen v1.0 copy in
// tests/abi/v1.0: both were measured by separate C translation units, each
// compiled against one of the two headers.
#include <cppunit/extensions/HelperMacros.h>

#include <vector>

#include "LayoutCompare.h"
#include "LayoutTable.h"

using rport::test::layoutDifferences;

class FrozenHeaderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FrozenHeaderTest);
    CPPUNIT_TEST(testFrozenHeaderIsVersion1_0);
    CPPUNIT_TEST(testCurrentHeaderKeepsTheV1_0Layout);
    CPPUNIT_TEST(testComparisonNoticesAMovedMember);
    CPPUNIT_TEST(testComparisonAllowsGrowthAtTheEnd);
    CPPUNIT_TEST(testComparisonNoticesChangedConstantsAndNames);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFrozenHeaderIsVersion1_0() {
        CPPUNIT_ASSERT_EQUAL(1, rport_frozen_v1_0_layout.abi_major);
        CPPUNIT_ASSERT_EQUAL(0, rport_frozen_v1_0_layout.abi_minor);
    }

    void testCurrentHeaderKeepsTheV1_0Layout() {
        std::vector<std::string> differences =
            layoutDifferences(rport_frozen_v1_0_layout, rport_current_layout);
        std::string all;
        for (const auto& d : differences) all += d + "\n";
        CPPUNIT_ASSERT_MESSAGE(all, differences.empty());
    }

    // The checks below prove the comparison can fail, on doctored copies.
    void testComparisonNoticesAMovedMember() {
        std::vector<rport_layout_row> rows(
            rport_current_layout.rows, rport_current_layout.rows + rport_current_layout.row_count);
        for (auto& r : rows)
            if (r.member && std::string(r.type) == "rport_auth_v1" &&
                std::string(r.member) == "verify")
                r.offset += 8;
        rport_layout_table doctored = rport_current_layout;
        doctored.rows = rows.data();
        std::vector<std::string> differences =
            layoutDifferences(rport_frozen_v1_0_layout, doctored);
        CPPUNIT_ASSERT_EQUAL(size_t(1), differences.size());
        CPPUNIT_ASSERT_EQUAL(
            std::string("rport_auth_v1.verify moved: offset 64 size 8 became offset 72 size 8"),
            differences[0]);
        doctored.row_count -= 1;  // drops rport_plugin_v1.backend_count
        CPPUNIT_ASSERT_EQUAL(std::string("rport_plugin_v1.backend_count disappeared"),
                             layoutDifferences(rport_frozen_v1_0_layout, doctored).back());
    }

    void testComparisonAllowsGrowthAtTheEnd() {
        std::vector<rport_layout_row> rows(
            rport_current_layout.rows, rport_current_layout.rows + rport_current_layout.row_count);
        for (auto& r : rows)
            if (!r.member && std::string(r.type) == "rport_host_v1")
                r.size += 16;  // two new services
        rows.push_back({"rport_host_v1", "future_service", 120, 8, 0});
        rport_layout_table grown = rport_current_layout;
        grown.rows = rows.data();
        grown.row_count = rows.size();
        grown.abi_minor = 1;
        CPPUNIT_ASSERT(layoutDifferences(rport_frozen_v1_0_layout, grown).empty());
        for (auto& r : rows)
            if (!r.member && std::string(r.type) == "rport_host_v1") r.size = 112;
        CPPUNIT_ASSERT_EQUAL(std::string("rport_host_v1 shrank from 120"),
                             layoutDifferences(rport_frozen_v1_0_layout, grown).at(0));
    }

    void testComparisonNoticesChangedConstantsAndNames() {
        std::vector<rport_constant_row> constants(
            rport_current_layout.constants,
            rport_current_layout.constants + rport_current_layout.constant_count);
        for (auto& c : constants)
            if (std::string(c.name) == "RPORT_E_DENIED") c.value = 60;
        const char* const strings[] = {"client-auth", "api-auth", "certificate-provider",
                                       "rport_plugin_entry_v1"};
        rport_layout_table doctored = rport_current_layout;
        doctored.constants = constants.data();
        doctored.strings = strings;
        std::vector<std::string> differences =
            layoutDifferences(rport_frozen_v1_0_layout, doctored);
        CPPUNIT_ASSERT_EQUAL(size_t(2), differences.size());
        CPPUNIT_ASSERT_EQUAL(std::string("RPORT_E_DENIED changed value"), differences[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("\"cert-provider\" became \"certificate-provider\""),
                             differences[1]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FrozenHeaderTest);
