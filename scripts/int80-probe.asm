; Probe for `int 0x80` support on the host: exits with status 42 through the 32-bit system-call
; table. Where IA32 emulation is missing or disabled (or the hypervisor does not deliver int 0x80),
; the process dies with SIGSEGV instead. The bytes are embedded in src/linux/native.ts.
; Build: nasm -f bin -i corpus/programs/ scripts/int80-probe.asm -o probe
%include "elf64-header.inc"   ; the reference programs' header (nasm -i corpus/programs/)
_start:
  mov eax, 1
  mov ebx, 42
  int 0x80
filesize equ $ - $$
