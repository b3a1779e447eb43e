// The current plugin.h must keep the layout of every frozen copy in
// tests/abi/v1.<minor>: each table was measured by a separate C translation
// unit, compiled against one of the headers.
#include <cppunit/extensions/HelperMacros.h>

#include <vector>

#include "LayoutCompare.h"
#include "LayoutTable.h"

using rport::test::layoutDifferences;

class FrozenHeaderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FrozenHeaderTest);
    CPPUNIT_TEST(testFrozenHeaderIsVersion1_0);
    CPPUNIT_TEST(testFrozenHeaderIsVersion1_1);
    CPPUNIT_TEST(testCurrentHeaderKeepsTheV1_0Layout);
    CPPUNIT_TEST(testCurrentHeaderKeepsTheV1_1Layout);
    CPPUNIT_TEST(testV1_1KeptTheV1_0Layout);
    CPPUNIT_TEST(testComparisonNoticesAMovedMember);
    CPPUNIT_TEST(testComparisonAllowsGrowthAtTheEnd);
    CPPUNIT_TEST(testComparisonNoticesChangedConstantsAndNames);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFrozenHeaderIsVersion1_0() {
        CPPUNIT_ASSERT_EQUAL(1, rport_frozen_v1_0_layout.abi_major);
        CPPUNIT_ASSERT_EQUAL(0, rport_frozen_v1_0_layout.abi_minor);
    }

    void testFrozenHeaderIsVersion1_1() {
        CPPUNIT_ASSERT_EQUAL(1, rport_frozen_v1_1_layout.abi_major);
        CPPUNIT_ASSERT_EQUAL(1, rport_frozen_v1_1_layout.abi_minor);
    }

    void testCurrentHeaderKeepsTheV1_0Layout() {
        assertKeeps(rport_frozen_v1_0_layout, rport_current_layout);
    }

    void testCurrentHeaderKeepsTheV1_1Layout() {
        assertKeeps(rport_frozen_v1_1_layout, rport_current_layout);
    }

    // The frozen copies among themselves: 1.1 only added to 1.0.
    void testV1_1KeptTheV1_0Layout() {
        assertKeeps(rport_frozen_v1_0_layout, rport_frozen_v1_1_layout);
        // And it measured more than 1.0 had: the 1.1 rows are really there.
        CPPUNIT_ASSERT(rport_frozen_v1_1_layout.row_count > rport_frozen_v1_0_layout.row_count);
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
        doctored.row_count -= 1;  // drops the last row, the last member 1.1 added
        CPPUNIT_ASSERT_EQUAL(std::string("rport_host_v1.timer_start64 disappeared"),
                             layoutDifferences(rport_frozen_v1_1_layout, doctored).back());
    }

    void testComparisonAllowsGrowthAtTheEnd() {
        std::vector<rport_layout_row> rows(
            rport_current_layout.rows, rport_current_layout.rows + rport_current_layout.row_count);
        for (auto& r : rows)
            if (!r.member && std::string(r.type) == "rport_host_v1")
                r.size += 16;  // two new services
        rows.push_back({"rport_host_v1", "future_service", 160, 8, 0});
        rport_layout_table grown = rport_current_layout;
        grown.rows = rows.data();
        grown.row_count = rows.size();
        grown.abi_minor = 2;
        CPPUNIT_ASSERT(layoutDifferences(rport_frozen_v1_0_layout, grown).empty());
        CPPUNIT_ASSERT(layoutDifferences(rport_frozen_v1_1_layout, grown).empty());
        for (auto& r : rows)
            if (!r.member && std::string(r.type) == "rport_host_v1") r.size = 152;
        CPPUNIT_ASSERT_EQUAL(std::string("rport_host_v1 shrank from 160"),
                             layoutDifferences(rport_frozen_v1_1_layout, grown).at(0));
        CPPUNIT_ASSERT(layoutDifferences(rport_frozen_v1_0_layout, grown).empty());
        grown.abi_minor = 0;
        CPPUNIT_ASSERT_EQUAL(std::string("ABI minor went backwards"),
                             layoutDifferences(rport_frozen_v1_1_layout, grown).at(0));
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

private:
    static void assertKeeps(const rport_layout_table& older, const rport_layout_table& newer) {
        std::vector<std::string> differences = layoutDifferences(older, newer);
        std::string all;
        for (const auto& d : differences) all += d + "\n";
        CPPUNIT_ASSERT_MESSAGE(all, differences.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FrozenHeaderTest);
