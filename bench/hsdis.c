// A HotSpot disassembler plugin on binutils' libopcodes, for reading what C2 makes of our Vector API kernels
// (-XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,CLASS::METHOD). A developer tool: nothing in the
// build or the tests uses it. HotSpot looks for hsdis-amd64.so in $JAVA_HOME/lib. On Debian:
//   apt-get install binutils-dev
//   gcc -O2 -shared -fPIC bench/hsdis.c -o $JAVA_HOME/lib/hsdis-amd64.so -lopcodes -lbfd
// HotSpot calls decode_instructions_virtual with a code range; we print one instruction per line and report each
// instruction's start and end through the event callback, so that HotSpot interleaves its comments.
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <dis-asm.h>

typedef struct { int (*print)(void*, const char*, ...); void* stream; } sink_t;

static int sink_printf(void* s, const char* fmt, ...) {
  sink_t* k = s; char buf[512]; va_list ap;
  va_start(ap, fmt); vsnprintf(buf, sizeof buf, fmt, ap); va_end(ap);
  return k->print(k->stream, "%s", buf);
}

static int sink_styled(void* s, enum disassembler_style style, const char* fmt, ...) {
  sink_t* k = s; char buf[512]; va_list ap; (void) style;
  va_start(ap, fmt); vsnprintf(buf, sizeof buf, fmt, ap); va_end(ap);
  return k->print(k->stream, "%s", buf);
}

static void print_address(bfd_vma a, struct disassemble_info* info) { sink_printf(info->stream, "0x%lx", (unsigned long) a); }

void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
                                  void* (*event)(void*, const char*, void*), void* event_stream,
                                  int (*print)(void*, const char*, ...), void* print_stream,
                                  const char* options, int newline) {
  (void) options;
  sink_t sink = { print, print_stream };
  struct disassemble_info info;
  init_disassemble_info(&info, &sink, sink_printf, sink_styled);
  info.arch = bfd_arch_i386;
  info.mach = bfd_mach_x86_64;
  info.buffer = buffer;
  info.buffer_vma = start_va;
  info.buffer_length = length;
  info.read_memory_func = buffer_read_memory;
  info.print_address_func = print_address;
  info.disassembler_options = "intel-mnemonic";
  disassemble_init_for_target(&info);
  disassembler_ftype decode = disassembler(bfd_arch_i386, false, bfd_mach_x86_64, NULL);
  uintptr_t p = start_va;
  while (p < end_va) {
    event(event_stream, "insn", (void*) p);
    int n = decode(p, &info);
    p += n > 0 ? n : 1;
    event(event_stream, "/insn", (void*) p);
    if (newline) print(print_stream, "\n");
  }
  return (void*) p;
}
