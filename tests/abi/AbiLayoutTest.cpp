// Prints the layout of every public struct of plugin.h and checks it against
// the pinned x86_64 numbers (the build already checked them with static_assert
// in AbiPins.c and AbiPins.cpp; this makes the table visible in test logs).
#include <cppunit/extensions/HelperMacros.h>

#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "LayoutTable.h"

extern "C" int rport_abi_pins_c_checked(void);
extern "C" int rport_abi_pins_cpp_checked(void);

namespace {

struct Pin {
    const char* type;
    const char* member;
    size_t offset, size, align;
};

#define RPORT_STRUCT(type, size, align) Pin{#type, nullptr, 0, size, align},
#define RPORT_MEMBER(type, member, offset, size) Pin{#type, #member, offset, size, 0},
const Pin kPins[] = {
#include "layout_v1_0.inc"
};
#undef RPORT_STRUCT
#undef RPORT_MEMBER

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
        for (size_t i = 0; i < rport_current_layout.row_count; ++i) {
            const rport_layout_row& r = rport_current_layout.rows[i];
            if (!r.member)
                table << "  " << r.type << "  sizeof " << r.size << "  alignof " << r.align << "\n";
            else
                table << "      " << std::left << std::setw(18) << r.member << " offset "
                      << std::right << std::setw(3) << r.offset << "  size " << r.size << "\n";
        }
        std::cout << table.str() << std::flush;
        CPPUNIT_ASSERT(rport_current_layout.row_count > 0);
    }

    void testCurrentHeaderMatchesPins() {
#if defined(__x86_64__) && defined(__LP64__)
        CPPUNIT_ASSERT_EQUAL(sizeof kPins / sizeof kPins[0], rport_current_layout.row_count);
        for (size_t i = 0; i < rport_current_layout.row_count; ++i) {
            const rport_layout_row& r = rport_current_layout.rows[i];
            const Pin& p = kPins[i];
            const std::string what =
                std::string(p.type) + (p.member ? std::string(".") + p.member : "");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string(p.type), std::string(r.type));
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
