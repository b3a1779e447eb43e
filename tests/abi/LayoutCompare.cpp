#include "LayoutCompare.h"

#include <cstring>

namespace rport::test {

namespace {

const rport_layout_row* findRow(const rport_layout_table& t, const char* type, const char* member) {
    for (size_t i = 0; i < t.row_count; ++i) {
        const rport_layout_row& r = t.rows[i];
        if (std::strcmp(r.type, type) != 0) continue;
        if (!member && !r.member) return &r;
        if (member && r.member && std::strcmp(member, r.member) == 0) return &r;
    }
    return nullptr;
}

std::string label(const rport_layout_row& r) {
    return r.member ? std::string(r.type) + "." + r.member : r.type;
}

}  // namespace

std::vector<std::string> layoutDifferences(const rport_layout_table& older,
                                           const rport_layout_table& current) {
    std::vector<std::string> out;
    if (older.abi_major != current.abi_major)
        out.push_back("ABI major " + std::to_string(older.abi_major) + " became " +
                      std::to_string(current.abi_major));
    if (current.abi_minor < older.abi_minor) out.push_back("ABI minor went backwards");

    for (size_t i = 0; i < older.row_count; ++i) {
        const rport_layout_row& was = older.rows[i];
        const rport_layout_row* now = findRow(current, was.type, was.member);
        if (!now) {
            out.push_back(label(was) + " disappeared");
        } else if (was.member) {
            if (now->offset != was.offset || now->size != was.size)
                out.push_back(label(was) + " moved: offset " + std::to_string(was.offset) +
                              " size " + std::to_string(was.size) + " became offset " +
                              std::to_string(now->offset) + " size " + std::to_string(now->size));
        } else {
            if (now->size < was.size)
                out.push_back(label(was) + " shrank from " + std::to_string(was.size));
            if (now->align != was.align) out.push_back(label(was) + " changed alignment");
        }
    }

    for (size_t i = 0; i < older.constant_count; ++i) {
        bool found = false;
        for (size_t j = 0; j < current.constant_count; ++j) {
            if (std::strcmp(older.constants[i].name, current.constants[j].name) != 0) continue;
            found = true;
            if (older.constants[i].value != current.constants[j].value)
                out.push_back(std::string(older.constants[i].name) + " changed value");
        }
        if (!found) out.push_back(std::string(older.constants[i].name) + " disappeared");
    }

    if (older.string_count != current.string_count) out.push_back("the set of names changed");
    for (size_t i = 0; i < older.string_count && i < current.string_count; ++i)
        if (std::strcmp(older.strings[i], current.strings[i]) != 0)
            out.push_back(std::string("\"") + older.strings[i] + "\" became \"" +
                          current.strings[i] + "\"");
    return out;
}

}  // namespace rport::test
