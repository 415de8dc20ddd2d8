; The 52-byte exit(42) of Brian Raiter's teensy tutorial, as netspooky transcribed it for his talk
; "Binary Golf" (Dartmouth College, 2025-10-23; github.com/netspooky/golfclub,
; bingolf-dartmouth/src/muppetlabs.52.asm). golf's own reading of the bytes.
;
; The program header starts at offset 4 and the code runs through e_flags, e_ehsize and
; e_phentsize: e_phentsize reads 0x80cd (the int 0x80), so today's compat loader refuses the file
; with ENOEXEC (kernels before 2.2.17 did not check e_phentsize). It also loads at 0x1000, below
; the 65536 of a distribution's vm.mmap_min_addr.
BITS 32
org 0x1000
        db      0x7f, "ELF"                     ; magic
        dd      1, 0, 0x1000                    ; e_ident[4..15] = p_type PT_LOAD, p_offset, p_vaddr
        dw      2, 3                            ; e_type ET_EXEC, e_machine i386 = p_paddr
        dd      52                              ; e_version    = p_filesz
        dd      entry                           ; e_entry      = p_memsz
        dd      4                               ; e_phoff 4    = p_flags PF_R
        dd      0                               ; e_shoff      = p_align
        db      0                               ; e_flags, first byte
entry:
        mov     bl, 42
        xor     eax, eax
        inc     eax                             ; e_ehsize high = 0x40
        int     0x80                            ; e_phentsize = 0x80cd
        dw      1, 0, 0, 0                      ; e_phnum 1, e_sh*
