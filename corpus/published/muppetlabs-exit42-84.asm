; The 84-byte exit(42) of Brian Raiter's teensy tutorial, as netspooky transcribed it for his talk
; "Binary Golf" (Dartmouth College, 2025-10-23; github.com/netspooky/golfclub,
; bingolf-dartmouth/src/muppetlabs.84.asm). golf's own reading of the bytes.
;
; A complete ELF32 header and program header, no overlap; the 7 bytes of code sit in e_ident's
; padding and the entry point points there.
BITS 32
org 0x8048000
        db      0x7f, "ELF", 1, 1, 1, 0, 0      ; magic, ELFCLASS32, little-endian, version 1
entry:                                          ; e_ident[9..15]
        mov     bl, 42
        xor     eax, eax
        inc     eax                             ; exit(42)
        int     0x80
        dw      2, 3                            ; e_type ET_EXEC, e_machine i386
        dd      1, entry, 52, 0, 0              ; e_version, e_entry, e_phoff, e_shoff, e_flags
        dw      52, 32, 1, 0, 0, 0              ; e_ehsize, e_phentsize, e_phnum, e_sh*
        dd      1, 0, 0x8048000, 0x8048000      ; p_type PT_LOAD, p_offset, p_vaddr, p_paddr
        dd      84, 84, 5, 0x1000               ; p_filesz, p_memsz, p_flags R+X, p_align
