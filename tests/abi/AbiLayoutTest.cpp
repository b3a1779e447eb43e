// Prints the layout of every public struct of plugin.h and checks it against
// the pinned x86_64 numbers of every minor (the build already checked them
// with static_assert in AbiPins.c and AbiPins.cpp; this makes the table
// visible in test logs).
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "LayoutTable.h"

extern "C" int rport_abi_pins_c_checked(void);
extern "C" int rport_abi_pins_cpp_checked(void);

namespace {

struct Pin {
    const char* type;
    const char* member;
    size_t offset, size, align;
};

enum class PinKind { Struct, Size, Member };
struct PinLine {
    PinKind kind;
    Pin pin;
};

#define RPORT_STRUCT(type, size, align) PinLine{PinKind::Struct, {#type, nullptr, 0, size, align}},
#define RPORT_SIZE(type, size, align) PinLine{PinKind::Size, {#type, nullptr, 0, size, align}},
#define RPORT_MEMBER(type, member, offset, size) \
    PinLine{PinKind::Member, {#type, #member, offset, size, 0}},
const PinLine kPinLines[] = {
#include "layout_v1_0.inc"
#include "layout_v1_1.inc"
};
#undef RPORT_STRUCT
#undef RPORT_SIZE
#undef RPORT_MEMBER

// The rows the current header must measure, in the order of the pin files:
// one per struct and member, each struct at the size its newest minor states.
std::vector<Pin> expectedRows() {
    std::vector<Pin> rows;
    for (const PinLine& line : kPinLines) {
        if (line.kind != PinKind::Size) {
            rows.push_back(line.pin);
            continue;
        }
        auto restated = std::find_if(rows.begin(), rows.end(), [&](const Pin& row) {
            return !row.member && std::strcmp(row.type, line.pin.type) == 0;
        });
        CPPUNIT_ASSERT_MESSAGE(std::string("size of an unknown struct ") + line.pin.type,
                               restated != rows.end());
        restated->size = line.pin.size;
        restated->align = line.pin.align;
    }
    return rows;
}

}  // namespace

class AbiLayoutTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AbiLayoutTest);
    CPPUNIT_TEST(testPrintTable);
    CPPUNIT_TEST(testCurrentHeaderMatchesPins);
    CPPUNIT_TEST(testStaticPinsWereCompiled);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPrintTable() {
        std::ostringstream table;
        table << "\nplugin.h ABI " << rport_current_layout.abi_major << "."
              << rport_current_layout.abi_minor << " layout (x86_64):\n";
        // Members of a later minor come after all structs in the table: print
        // each struct with all of its members, wherever they stand.
        const rport_layout_row* rows = rport_current_layout.rows;
        const size_t count = rport_current_layout.row_count;
        for (size_t i = 0; i < count; ++i) {
            if (rows[i].member) continue;
            table << "  " << rows[i].type << "  sizeof " << rows[i].size << "  alignof "
                  << rows[i].align << "\n";
            for (size_t j = 0; j < count; ++j)
                if (rows[j].member && std::strcmp(rows[j].type, rows[i].type) == 0)
                    table << "      " << std::left << std::setw(20) << rows[j].member
                          << " offset " << std::right << std::setw(3) << rows[j].offset
                          << "  size " << rows[j].size << "\n";
        }
        std::cout << table.str() << std::flush;
        CPPUNIT_ASSERT(count > 0);
    }

    void testCurrentHeaderMatchesPins() {
#if defined(__x86_64__) && defined(__LP64__)
        const std::vector<Pin> pins = expectedRows();
        CPPUNIT_ASSERT_EQUAL(pins.size(), rport_current_layout.row_count);
        for (size_t i = 0; i < rport_current_layout.row_count; ++i) {
            const rport_layout_row& r = rport_current_layout.rows[i];
            const Pin& p = pins[i];
            const std::string what =
                std::string(p.type) + (p.member ? std::string(".") + p.member : "");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string(p.type), std::string(r.type));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string(p.member ? p.member : ""),
                                         std::string(r.member ? r.member : ""));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, p.offset, r.offset);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, p.size, r.size);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, p.align, r.align);
        }
#endif
    }

    void testStaticPinsWereCompiled() {
        CPPUNIT_ASSERT_EQUAL(1, rport_abi_pins_c_checked());
        CPPUNIT_ASSERT_EQUAL(1, rport_abi_pins_cpp_checked());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AbiLayoutTest);
