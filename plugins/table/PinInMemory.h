#pragma once
// Keeps this plugin (and the libraries it pulled in) mapped until the process
// ends, from the moment it registers state it cannot take back: Poco's
// SessionFactory keeps connector objects whose code lives in those libraries,
// and libmariadb stays initialised. Unloading after that would unmap code
// Poco still points at (a crash at exit). A plugin that is loaded but never
// used registers nothing and may still be unloaded, freeing its memory.
namespace rport::plugins::table {

void pinInMemory();

}  // namespace rport::plugins::table
