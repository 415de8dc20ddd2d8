; The 76-byte exit(42) of Brian Raiter's teensy tutorial, as netspooky transcribed it for his talk
; "Binary Golf" (Dartmouth College, 2025-10-23; github.com/netspooky/golfclub,
; bingolf-dartmouth/src/muppetlabs.76.asm). golf's own reading of the bytes.
;
; The program header starts at offset 44: its p_type is e_phnum (1) and the zero e_sh* fields,
; its p_offset the zeros after them; the code sits in e_ident.
BITS 32
org 0x8048000
        db      0x7f, "ELF", 1, 1, 1, 0, 0      ; magic, ELFCLASS32, little-endian, version 1
entry:                                          ; e_ident[9..15]
        mov     bl, 42
        xor     eax, eax
        inc     eax                             ; exit(42)
        int     0x80
        dw      2, 3                            ; e_type ET_EXEC, e_machine i386
        dd      1, entry, 44, 0, 0              ; e_version, e_entry, e_phoff 44, e_shoff, e_flags
        dw      52, 32                          ; e_ehsize, e_phentsize
        dd      1                               ; e_phnum 1, e_shentsize 0     = p_type PT_LOAD
        dd      0                               ; e_shnum, e_shstrndx          = p_offset
        dd      0x8048000, 0x8048000            ; p_vaddr, p_paddr
        dd      76, 76, 5, 0x1000               ; p_filesz, p_memsz, p_flags R+X, p_align
