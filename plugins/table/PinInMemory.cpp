#include "PinInMemory.h"

#include <dlfcn.h>

namespace rport::plugins::table {

void pinInMemory() {
    Dl_info self{};
    // Any address inside this plugin finds its file.
    if (::dladdr(reinterpret_cast<void*>(&pinInMemory), &self) == 0 || !self.dli_fname) return;
    // NOLOAD: only take a reference on the image already mapped; NODELETE:
    // that image now survives every dlclose.
    ::dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

}  // namespace rport::plugins::table
